import { describe, expect, it } from "vitest";
import { ByteBudget } from "@/lib/api/inflight";
import { AppError } from "@/lib/errors";

describe("ByteBudget", () => {
  it("lets uploads through while they fit, then in arrival order as bytes are released", async () => {
    const budget = new ByteBudget(100);
    const first = await budget.acquire(60, 1000);
    const order: string[] = [];
    const second = budget.acquire(60, 1000).then((release) => (order.push("second"), release));
    const third = budget.acquire(10, 1000).then((release) => (order.push("third"), release));
    await new Promise((r) => setTimeout(r, 20));
    // The small one does not overtake the one waiting before it.
    expect(order).toEqual([]);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(["second", "third"]);
    expect(budget.inUse).toBe(0);
  });

  it("answers busy (503 with Retry-After) to an upload that waited too long, and serves the next", async () => {
    const budget = new ByteBudget(100);
    const held = await budget.acquire(100, 1000);
    const refused = await budget.acquire(50, 30).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "busy", status: 503, headers: { "Retry-After": "10" } });
    held();
    const next = await budget.acquire(100, 30);
    expect(budget.inUse).toBe(100);
    next();
    next();
    expect(budget.inUse).toBe(0);
  });

  it("counts an upload larger than the whole budget as the whole budget", async () => {
    const budget = new ByteBudget(100);
    const big = await budget.acquire(10_000, 10);
    expect(budget.inUse).toBe(100);
    big();
  });
});
