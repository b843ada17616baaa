import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig(): the ZITADEL target endpoint", () => {
  it("caps a call's body at 256 KiB and accepts signatures up to 300 s old by default", () => {
    expect(loadConfig([], {}).zitadelTarget).toEqual({ maxBodyBytes: 256 * 1024, signatureToleranceSeconds: 300 });
  });

  it("reads both from their flags or environment variables", () => {
    expect(loadConfig(["--zitadel-target-max-body-bytes", "1000"], { ACTIOND_ZITADEL_SIGNATURE_TOLERANCE: "2m" }).zitadelTarget).toEqual({
      maxBodyBytes: 1000,
      signatureToleranceSeconds: 120,
    });
    expect(loadConfig([], { ACTIOND_ZITADEL_TARGET_MAX_BODY_BYTES: "2048", ACTIOND_ZITADEL_SIGNATURE_TOLERANCE: "45s" }).zitadelTarget).toEqual({
      maxBodyBytes: 2048,
      signatureToleranceSeconds: 45,
    });
  });

  it("refuses values that cannot work, naming the option", () => {
    expect(() => loadConfig(["--zitadel-target-max-body-bytes", "0"], {})).toThrow(/--zitadel-target-max-body-bytes: expected a positive integer/);
    expect(() => loadConfig(["--zitadel-signature-tolerance", "300"], {})).toThrow(/--zitadel-signature-tolerance: expected a duration/);
    expect(() =>
      loadConfig(["--max-message-bytes", "1024", "--request-buffer-bytes", "2048", "--zitadel-target-max-body-bytes", "4096"], {}),
    ).toThrow(/--request-buffer-bytes: must be at least --zitadel-target-max-body-bytes \(4096\)/);
  });
});
