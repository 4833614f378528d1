import { describe, expect, it } from "vitest";
import { fixSummary } from "@/lib/fixes/summary";

const bySeverity = { critical: 1, high: 2, medium: 0, low: 0 };

describe("fixSummary", () => {
  it("says how many findings of which severities, in how many images of how many teams", () => {
    expect(fixSummary({ findings: 3, bySeverity, images: 2, teams: 1, unownedImages: 0 })).toBe("closes 3 findings (1 critical, 2 high) in 2 images of 1 team");
  });

  it("says when no team owns the images, instead of 'of 0 teams'", () => {
    expect(fixSummary({ findings: 1, bySeverity: { ...bySeverity, high: 0 }, images: 1, teams: 0, unownedImages: 1 })).toBe("closes 1 finding (1 critical) in 1 image (no team owns it)");
    expect(fixSummary({ findings: 4, bySeverity, images: 3, teams: 0, unownedImages: 3 })).toBe("closes 4 findings (1 critical, 2 high) in 3 images (no team owns them)");
  });

  it("says how many of the images no team owns when others have a team ('of 1 team' hid them)", () => {
    expect(fixSummary({ findings: 4, bySeverity, images: 3, teams: 1, unownedImages: 1 })).toBe("closes 4 findings (1 critical, 2 high) in 3 images of 1 team, and 1 no team owns");
  });
});
