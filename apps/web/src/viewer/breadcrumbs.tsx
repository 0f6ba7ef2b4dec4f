/** Where we are in the tree: the top, then each directory as a link. */
import { Link } from "../router.js";
import { browseUrl } from "./viewer-api.js";

export function Breadcrumbs({ path, file = false }: { path: string; file?: boolean }) {
  const parts = path === "" ? [] : path.split("/");
  return (
    <nav className="breadcrumbs" aria-label="Path">
      <Link to={browseUrl("")}>top</Link>
      {parts.map((part, i) => {
        const sub = parts.slice(0, i + 1).join("/");
        const last = i === parts.length - 1;
        return (
          <span key={sub}>
            <span className="breadcrumb-sep">/</span>
            {last ? <strong aria-current="page">{part}</strong> : <Link to={browseUrl(sub)}>{part}</Link>}
            {last && !file ? "/" : ""}
          </span>
        );
      })}
    </nav>
  );
}
