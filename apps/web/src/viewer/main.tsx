/** Entry point of the Meridian viewer (`meridian view DIR`): its own bundle, the shared design system. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ViewerApp } from "./viewer-app.js";
import "../styles.css";
import "./viewer.css";

const root = document.getElementById("root");
if (!root) throw new Error("viewer.html has no #root element.");
createRoot(root).render(
  <StrictMode>
    <ViewerApp />
  </StrictMode>,
);
