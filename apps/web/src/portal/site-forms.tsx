/** Admins add observing sites and telescopes (needed for night logs: frames go on their telescope's night). */
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { useSession } from "../session.js";
import { call, portalUrl, type Site } from "./portal-api.js";
import { PickField, TextField } from "./text-field.js";
import { useAction } from "./use-load.js";

function optionalNumber(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

export function SiteForms({ org, sites, onAdded }: { org: string; sites: Site[]; onAdded(): void }) {
  const { csrfToken } = useSession();
  const [site, setSite] = useState({
    name: "",
    longitude: "",
    latitude: "",
    elevation: "",
    timeZone: "UTC",
    iauCode: "",
  });
  const [scope, setScope] = useState({ name: "", siteId: "", apertureM: "", focalLengthM: "" });
  const { error, run } = useAction();

  async function send(event: FormEvent<HTMLFormElement>, path: string, body: unknown, reset: () => void) {
    event.preventDefault();
    if (await run(() => call("POST", portalUrl(org, path), csrfToken, body))) {
      reset();
      onAdded();
    }
  }

  return (
    <>
      <form
        className="form"
        aria-label="Add site"
        onSubmit={(e) =>
          void send(
            e,
            "/sites",
            {
              name: site.name.trim(),
              longitude: Number(site.longitude),
              latitude: Number(site.latitude),
              elevation: optionalNumber(site.elevation),
              timeZone: site.timeZone.trim() || "UTC",
              ...(site.iauCode.trim() ? { iauCode: site.iauCode.trim() } : {}),
            },
            () => setSite({ ...site, name: "", longitude: "", latitude: "", elevation: "", iauCode: "" }),
          )
        }
      >
        <h3>Add a site</h3>
        <div className="form-row">
          <TextField
            label="Site name"
            required
            value={site.name}
            onChange={(name) => setSite({ ...site, name })}
          />
          <TextField
            label="Time zone (IANA)"
            value={site.timeZone}
            onChange={(timeZone) => setSite({ ...site, timeZone })}
          />
        </div>
        <div className="form-row">
          <TextField
            label="Longitude (° east)"
            type="number"
            required
            value={site.longitude}
            onChange={(longitude) => setSite({ ...site, longitude })}
          />
          <TextField
            label="Latitude (°)"
            type="number"
            required
            value={site.latitude}
            onChange={(latitude) => setSite({ ...site, latitude })}
          />
          <TextField
            label="Elevation (m)"
            type="number"
            value={site.elevation}
            onChange={(elevation) => setSite({ ...site, elevation })}
          />
          <TextField
            label="IAU code"
            value={site.iauCode}
            onChange={(iauCode) => setSite({ ...site, iauCode })}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-secondary">
            Add site
          </button>
        </div>
      </form>
      <form
        className="form"
        aria-label="Add telescope"
        onSubmit={(e) =>
          void send(
            e,
            "/telescopes",
            {
              name: scope.name.trim(),
              siteId: scope.siteId || null,
              apertureM: optionalNumber(scope.apertureM) ?? null,
              focalLengthM: optionalNumber(scope.focalLengthM) ?? null,
            },
            () => setScope({ ...scope, name: "", apertureM: "", focalLengthM: "" }),
          )
        }
      >
        <h3>Add a telescope</h3>
        <p className="muted">
          Name it as the files' TELESCOP keyword says, and its frames go on its night logs.
        </p>
        <div className="form-row">
          <TextField
            label="Telescope name"
            required
            value={scope.name}
            onChange={(name) => setScope({ ...scope, name })}
          />
          <PickField
            label="Site"
            value={scope.siteId}
            onChange={(siteId) => setScope({ ...scope, siteId })}
            items={sites}
            none="none"
          />
        </div>
        <div className="form-row">
          <TextField
            label="Aperture (m)"
            type="number"
            value={scope.apertureM}
            onChange={(apertureM) => setScope({ ...scope, apertureM })}
          />
          <TextField
            label="Focal length (m)"
            type="number"
            value={scope.focalLengthM}
            onChange={(focalLengthM) => setScope({ ...scope, focalLengthM })}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-secondary">
            Add telescope
          </button>
        </div>
      </form>
      <ErrorAlert error={error} />
    </>
  );
}
