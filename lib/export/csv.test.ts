import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "@/lib/export/csv";

describe("CSV cells", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(csvLine(["a", 'say "hi"', "x,y", null, 3])).toBe('a,"say ""hi""","x,y",,3\n');
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("-1+2")).toBe("'-1+2");
    expect(csvCell(["trivy", "grype"])).toBe("trivy grype");
  });
});
