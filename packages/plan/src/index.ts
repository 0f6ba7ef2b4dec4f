/**
 * @meridian/plan — observability of targets from a site (on astronomy-engine) and satellite checks
 * (on satellite.js). Pure: runs in browsers and Node.
 */
export {};
