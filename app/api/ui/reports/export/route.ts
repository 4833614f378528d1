// CSV of one table of a trend report (the page's query and ?table=), each row with the report's as_of.
import { z } from "zod";
import { apiRoute, queryObject } from "@/lib/api/handler";
import { check } from "@/lib/admin/input";
import { csvLine } from "@/lib/export/csv";
import { loadReport, reportQuerySchema } from "@/lib/reports/report";
import { REPORT_TABLES, reportTables } from "@/lib/reports/tables";

const tableSchema = z.enum(REPORT_TABLES, { message: `table is one of ${REPORT_TABLES.join(", ")}` });

export const GET = apiRoute({ session: "reports:read" }, async ({ url, viewer }) => {
  const params = queryObject(url);
  const name = check(tableSchema, params.table);
  const report = await loadReport(viewer, reportQuerySchema.parse(params));
  const table = reportTables(report)[name];
  const body = csvLine([...table.header, "as_of"]) + table.rows.map((row) => csvLine([...row, report.asOf])).join("");
  const filename = `portcullis-${name}-${report.window.from}-${report.window.to}.csv`;
  return new Response(body, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" } });
});
