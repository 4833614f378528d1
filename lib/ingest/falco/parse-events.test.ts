import { describe, expect, it } from "vitest";
import { isFalcoInternal, occurredAt, parseFalcoBody, placeOf, severityOfPriority } from "@/lib/ingest/falco/parse-events";
import { workloadOfPod } from "@/lib/ingest/k8s-names";
import { fixtureText } from "@/lib/ingest/testing/fixtures";

describe("parseFalcoBody", () => {
  it("reads newline-delimited events, a JSON array and a single event alike", () => {
    const ndjson = fixtureText("falco/falco-website_syscall-k8s-alerts.jsonl");
    const fromLines = parseFalcoBody(ndjson);
    expect(fromLines.events).toHaveLength(9);
    expect(fromLines.errors).toEqual([]);
    const array = `[${ndjson.trim().split("\n").join(",")}]`;
    expect(parseFalcoBody(array).events.map((e) => e.event.rule)).toEqual(fromLines.events.map((e) => e.event.rule));
    expect(parseFalcoBody(ndjson.split("\n")[0]).events).toHaveLength(1);
  });

  it("keeps nanosecond integers exactly", () => {
    const { events } = parseFalcoBody('{"rule":"r","priority":"Notice","time":"2021-01-14T23:39:44.834631763Z","output_fields":{"evt.time":1610667584834631763}}');
    expect(events[0].event.output_fields?.["evt.time"]).toBe("1610667584834631763");
    expect(events[0].event.time).toBe("2021-01-14T23:39:44.834631763Z");
  });

  it("rejects bad events one by one, saying which and why", () => {
    const { events, errors } = parseFalcoBody('{"rule":"ok","priority":"Error","time":"2021-01-01T00:00:00Z"}\n{"priority":"Error"}\nnot json\n');
    expect(events).toHaveLength(1);
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^line 2: rule: /), expect.stringMatching(/^line 3: not valid JSON/)]));
  });
});

describe("Falco event semantics", () => {
  it.each([
    ["Emergency", "critical"],
    ["ALERT", "critical"],
    ["critical", "critical"],
    ["Error", "high"],
    ["Warning", "medium"],
    ["NOTICE", "low"],
    ["Informational", "unknown"],
    ["info", "unknown"],
    ["Debug", "unknown"],
  ])("priority %s is %s", (priority, severity) => {
    expect(severityOfPriority(priority)).toBe(severity);
  });

  it("recognises Falco's own internal events", () => {
    const { events } = parseFalcoBody(fixtureText("falco/falcosidekick_test-events.jsonl"));
    expect(events.map((e) => isFalcoInternal(e.event))).toEqual([true, true, false, false]);
  });

  it("finds the workload of a pod, an audit-log target, or the host", () => {
    expect(workloadOfPod("checkout-api-7d9f8b6c5d-x2k4p")).toBe("checkout-api");
    expect(workloadOfPod("falco-zm9v6")).toBe("falco");
    expect(workloadOfPod("node-exporter-x2k4p")).toBe("node-exporter");
    expect(workloadOfPod("standalone")).toBe("standalone");
    const audit = parseFalcoBody(fixtureText("falco/falco-website_k8saudit-alerts.jsonl")).events[0].event;
    expect(placeOf(audit).workload).toMatch(/^volumeattachments\/csi-/);
  });

  it("orders by time to the millisecond, and falls back on a malformed time", () => {
    const fallback = new Date("2030-01-01T00:00:00Z");
    expect(occurredAt("2021-01-14T23:39:44.834631763Z", fallback).toISOString()).toBe("2021-01-14T23:39:44.834Z");
    expect(occurredAt("2021-04-13T20:58:00.746609046Z+2", fallback).toISOString()).toBe("2021-04-13T20:58:00.746Z");
    expect(occurredAt("yesterday", fallback)).toBe(fallback);
  });
});
