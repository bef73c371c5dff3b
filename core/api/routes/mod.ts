/**
 * @module Every API route, in documentation order.
 */
import type { Route } from "../route.ts";
import { adminRoutes } from "./admin.ts";
import { alertRoutes } from "./alerts.ts";
import { exportRoutes } from "./export.ts";
import { historyRoutes } from "./history.ts";
import { recordRoutes } from "./records.ts";
import { spectraRoutes } from "./spectra.ts";
import { streamRoutes } from "./stream.ts";
import { systemRoutes } from "./system.ts";
import { tagRoutes } from "./tags.ts";
import { updateRoutes } from "./update.ts";

/** All routes of API v1. */
export function apiRoutes(): Route[] {
  const all: Route[] = [];
  all.push(
    ...systemRoutes(() => all),
    ...tagRoutes(),
    ...historyRoutes(),
    ...streamRoutes(),
    ...spectraRoutes(),
    ...recordRoutes(),
    ...alertRoutes(),
    ...exportRoutes(),
    ...adminRoutes(),
    ...updateRoutes(),
  );
  return all;
}
