/**
 * @module Paths of glibc's libc.so.6, shared by the memory_trim service and the release launcher.
 */

/**
 * Where glibc lives on the distributions the gateway ships for. Deno grants FFI by the exact path string, so
 * the release launcher allows these files and the service opens the first that exists by this same name.
 */
export const LIBC_PATHS = [
  "/lib/x86_64-linux-gnu/libc.so.6",
  "/usr/lib/x86_64-linux-gnu/libc.so.6",
  "/lib/aarch64-linux-gnu/libc.so.6",
  "/usr/lib/aarch64-linux-gnu/libc.so.6",
  "/lib64/libc.so.6",
  "/usr/lib64/libc.so.6",
] as const;
