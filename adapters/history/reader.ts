/**
 * @module The store's HistoryReader (capability "history"), also used by the export CLI on a closed gateway.
 */
import {
  type Alert,
  type AlertControl,
  type AnomalyScore,
  type ExportRequest,
  type FeatureVector,
  type GatewayEvent,
  type HistoryReader,
  type ListQuery,
  type Page,
  type Series,
  type SeriesQuery,
} from "../../core/mod.ts";
import type { OpenDb } from "./db.ts";
import { exportRange } from "./export.ts";
import { alertOf, listAlerts, listEvents, listFeatures, listScores } from "./lists.ts";
import { querySeries } from "./series.ts";
import { us } from "./time.ts";

/** What the reader needs from its owner. */
export interface ReaderHost {
  /** The open database; throws a clear error when it is not open. */
  db(): OpenDb;
  /** Runs `fn` with exclusive use of the write connection. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** The live alert manager, if one runs. */
  alertControl(): AlertControl | undefined;
}

/** Reads history; every query is parameterised and validated. */
export class StoreReader implements HistoryReader {
  constructor(private readonly host: ReaderHost) {}

  async series(query: SeriesQuery): Promise<Series[]> {
    return await querySeries(this.host.db().read, query);
  }

  async features(query: ListQuery): Promise<Page<FeatureVector>> {
    return await listFeatures(this.host.db().read, query);
  }

  async scores(query: ListQuery & { readonly detector?: string }): Promise<Page<AnomalyScore>> {
    return await listScores(this.host.db().read, query);
  }

  async alerts(query: ListQuery & { readonly state?: Alert["state"] }): Promise<Page<Alert>> {
    return await listAlerts(this.host.db().read, query);
  }

  async events(query: ListQuery & { readonly type?: string }): Promise<Page<GatewayEvent>> {
    return await listEvents(this.host.db().read, query);
  }

  /**
   * Marks an alert acknowledged (who and when are kept); a still-active alert is acknowledged in the live
   * alert manager too, so its next update carries the acknowledgement.
   */
  async acknowledgeAlert(id: string, by: string, at: number): Promise<Alert | undefined> {
    if (typeof id !== "string" || id.length === 0) throw new TypeError("alert id must be a non-empty string");
    if (typeof by !== "string" || by.length === 0) throw new TypeError("by must name who acknowledges");
    if (typeof at !== "number" || !Number.isFinite(at)) throw new TypeError("at must be a timestamp in ms");
    const row = await this.host.exclusive(async () => {
      const conn = this.host.db().write;
      await conn.run(
        `UPDATE alerts SET acknowledged = true, acked_by = $2, acked_at = make_timestamp($3::BIGINT),
           updated_at = make_timestamp($3::BIGINT) WHERE id = $1`,
        [id, by, us(at)],
      );
      const r = await conn.runAndReadAll("SELECT * FROM alerts WHERE id = $1", [id]);
      return r.getRowObjectsJS()[0];
    });
    if (!row) return undefined;
    const alert = alertOf(row);
    if (alert.state === "active") {
      try {
        this.host.alertControl()?.acknowledge(id, by);
      } catch {
        // The live manager may no longer know the alert; the store's record stands.
      }
    }
    return alert;
  }

  async exportRange(request: ExportRequest): Promise<{ rows: number; bytes: number }> {
    return await exportRange(this.host.db().instance, request);
  }
}
