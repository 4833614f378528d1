// Version order per ecosystem, on versions the real scanner fixtures carry, and on the edge cases
// each ecosystem's own documentation gives.
import { describe, expect, it } from "vitest";
import { apkCompare, compareIn, dpkgCompare, ecosystemOf, rpmCompare, upgradeTarget } from "@/lib/versions/compare";

const ascending = (compare: (a: string, b: string) => number, versions: string[]) => {
  for (let i = 0; i + 1 < versions.length; i++) {
    expect(compare(versions[i], versions[i + 1]), `${versions[i]} < ${versions[i + 1]}`).toBeLessThan(0);
    expect(compare(versions[i + 1], versions[i]), `${versions[i + 1]} > ${versions[i]}`).toBeGreaterThan(0);
  }
};

describe("version order", () => {
  it("Debian (dpkg): tilde first, +debNuM after, epochs, letters in upstream", () => {
    ascending(dpkgCompare, ["2.0.5-1", "2.0.5-1+deb10u1"]); // debian-buster fixture
    ascending(dpkgCompare, ["1.1.0k-1~deb9u1", "1.1.0l-1~deb9u1"]); // openssl in stretch
    ascending(dpkgCompare, ["1.44.1-1ubuntu1.1", "1.44.1-1ubuntu1.2"]); // ubuntu 18.04 fixture
    ascending(dpkgCompare, ["1.0~rc1-1", "1.0-1", "1.0-1.1", "1:0.9-1"]);
    expect(dpkgCompare("1.0-1", "1.0-1")).toBe(0);
  });

  it("RPM: epoch, release, numbers against letters", () => {
    ascending(rpmCompare, ["1:1.0.2k-16.el7", "1:1.0.2k-19.el7"]); // centos-7 fixture
    ascending(rpmCompare, ["1.0.2k-19.el7", "1:1.0.2a-1.el7"]);
    ascending(rpmCompare, ["1.0~rc1", "1.0", "1.0a", "1.0.1", "1.10"]);
  });

  it("Alpine (apk): package release, letters, suffixes", () => {
    ascending(apkCompare, ["1.1.1c-r0", "1.1.1d-r0", "1.1.1d-r2"]); // alpine 3.10 fixture
    ascending(apkCompare, ["2.35.1-r2", "2.35.2-r0"]);
    ascending(apkCompare, ["1.2_alpha1", "1.2_rc1", "1.2", "1.2_p1", "1.2a", "1.10"]);
  });

  it("semver for npm, Go and Cargo, with Go's v prefix and +incompatible", () => {
    ascending((a, b) => compareIn("golang", a, b), ["v0.3.6", "0.3.7", "v0.35.0", "0.37.0"]); // Go fixtures
    ascending((a, b) => compareIn("golang", a, b), ["v2.7.1+incompatible", "v2.8.0"]);
    ascending((a, b) => compareIn("npm", a, b), ["3.3.9", "3.4.0", "3.10.0-rc.1", "3.10.0"]);
  });

  it("PEP 440 for Python", () => {
    ascending((a, b) => compareIn("pypi", a, b), ["1.0.dev1", "1.0a1", "1.0rc1", "1.0", "1.0.post1", "1.10"]);
  });

  it("knows the ecosystem from the package URL", () => {
    expect(ecosystemOf("pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64")).toBe("deb");
    expect(ecosystemOf("pkg:golang/github.com/x/y@v1")).toBe("golang");
    expect(ecosystemOf("pkg:maven/org.springframework/spring-beans@5.3.15")).toBe("other");
    expect(ecosystemOf(null)).toBe("other");
  });
});

describe("the upgrade target", () => {
  it("is the lowest fix above the installed version for each vulnerability, and the highest of those", () => {
    // Rails in the fluentd fixture lists one fix per release line.
    expect(upgradeTarget("other", "6.0.2.1", ["6.0.3.1, 5.2.4.3"])).toBe("6.0.3.1");
    expect(upgradeTarget("apk", "1.1.1c-r0", ["1.1.1d-r0", "1.1.1d-r2"])).toBe("1.1.1d-r2");
    expect(upgradeTarget("deb", "2.0.5-1", ["2.0.5-1+deb10u1"])).toBe("2.0.5-1+deb10u1");
    expect(upgradeTarget("deb", "2.0.5-1", ["2.0.4-1"])).toBeNull();
  });
});
