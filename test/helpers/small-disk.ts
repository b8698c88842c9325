import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/**
 * A real, small filesystem (tmpfs) to fill up, so a full disk is a full disk and not a mock. Needs
 * root, as CI and the development machines have; elsewhere it returns null and the test skips.
 */
export function smallDisk(sizeKiB = 2048): { dir: string; fill: () => void; free: () => void } | null {
  const dir = mkdtempSync(join(tmpdir(), "stackbot-small-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k`, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  onTestFinished(() => {
    execFileSync("umount", ["-l", dir], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  });
  const filler = join(dir, "filler");
  return {
    dir,
    /** Writes until the filesystem refuses: not one more page fits. */
    fill: () => {
      const chunk = Buffer.alloc(4096, 1);
      for (let index = 0; ; index++) {
        try {
          writeFileSync(`${filler}-${index}`, chunk);
        } catch {
          break;
        }
      }
    },
    free: () => {
      execFileSync("sh", ["-c", `rm -f '${filler}'-*`]);
    },
  };
}

export const canMount = process.getuid?.() === 0;
