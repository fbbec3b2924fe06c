/**
 * Built-in rustc targets and the cfg values rustc gives each one, so that
 * `[target.'cfg(..)']` dependencies can be kept or dropped per target without
 * running rustc. Values are `rustc --print cfg --target <triple>` of rustc
 * 1.95 for every tier 1 and tier 2 target and a few common tier 3 ones.
 * Target features are left out: like cargo-deny, a `target_feature` holds
 * only when the target's entry in deny.toml promises it.
 */
import { evaluateCfg, type CfgExpr } from './cfg.js';

export interface TargetInfo {
  triple: string;
  arch: string;
  os: string;
  env: string;
  vendor: string;
  abi: string;
  /** `target_family` values: `unix`, `windows`, `wasm` (emscripten has two). */
  families: string[];
  pointerWidth: string;
  endian: 'little' | 'big';
  /** `target_has_atomic` values. */
  atomics: string[];
  panic: 'unwind' | 'abort';
}

// triple, arch, os, env, vendor, abi, families, pointer width, endian, atomic widths, panic; `-` = empty.
const ROWS: readonly string[] = [
  // tier 1
  'aarch64-apple-darwin aarch64 macos - apple - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-unknown-linux-gnu aarch64 linux gnu unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'i686-pc-windows-msvc x86 windows msvc pc - windows 32 little 8,16,32,64,ptr unwind',
  'i686-unknown-linux-gnu x86 linux gnu unknown - unix 32 little 8,16,32,64,ptr unwind',
  'x86_64-pc-windows-gnu x86_64 windows gnu pc - windows 64 little 8,16,32,64,128,ptr unwind',
  'x86_64-pc-windows-msvc x86_64 windows msvc pc - windows 64 little 8,16,32,64,128,ptr unwind',
  'x86_64-unknown-linux-gnu x86_64 linux gnu unknown - unix 64 little 8,16,32,64,ptr unwind',
  // tier 2 with host tools
  'aarch64-pc-windows-msvc aarch64 windows msvc pc - windows 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-pc-windows-gnullvm aarch64 windows gnu pc llvm windows 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-unknown-linux-musl aarch64 linux musl unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-unknown-linux-ohos aarch64 linux ohos unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'arm-unknown-linux-gnueabi arm linux gnu unknown eabi unix 32 little 8,16,32,64,ptr unwind',
  'arm-unknown-linux-gnueabihf arm linux gnu unknown eabihf unix 32 little 8,16,32,64,ptr unwind',
  'armv7-unknown-linux-gnueabihf arm linux gnu unknown eabihf unix 32 little 8,16,32,64,ptr unwind',
  'i686-pc-windows-gnu x86 windows gnu pc - windows 32 little 8,16,32,64,ptr unwind',
  'loongarch64-unknown-linux-gnu loongarch64 linux gnu unknown - unix 64 little 8,16,32,64,ptr unwind',
  'loongarch64-unknown-linux-musl loongarch64 linux musl unknown - unix 64 little 8,16,32,64,ptr unwind',
  'powerpc-unknown-linux-gnu powerpc linux gnu unknown - unix 32 big 8,16,32,ptr unwind',
  'powerpc64-unknown-linux-gnu powerpc64 linux gnu unknown elfv1 unix 64 big 8,16,32,64,ptr unwind',
  'powerpc64le-unknown-linux-gnu powerpc64 linux gnu unknown elfv2 unix 64 little 8,16,32,64,ptr unwind',
  'powerpc64le-unknown-linux-musl powerpc64 linux musl unknown elfv2 unix 64 little 8,16,32,64,ptr unwind',
  'riscv64gc-unknown-linux-gnu riscv64 linux gnu unknown - unix 64 little 8,16,32,64,ptr unwind',
  'riscv64gc-unknown-linux-musl riscv64 linux musl unknown - unix 64 little 8,16,32,64,ptr unwind',
  's390x-unknown-linux-gnu s390x linux gnu unknown - unix 64 big 8,16,32,64,128,ptr unwind',
  'x86_64-apple-darwin x86_64 macos - apple - unix 64 little 8,16,32,64,128,ptr unwind',
  'x86_64-pc-windows-gnullvm x86_64 windows gnu pc llvm windows 64 little 8,16,32,64,128,ptr unwind',
  'x86_64-unknown-freebsd x86_64 freebsd - unknown - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-illumos x86_64 illumos - unknown - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-linux-musl x86_64 linux musl unknown - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-linux-ohos x86_64 linux ohos unknown - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-netbsd x86_64 netbsd - unknown - unix 64 little 8,16,32,64,ptr unwind',
  // tier 2 without host tools
  'aarch64-apple-ios aarch64 ios - apple - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-apple-ios-macabi aarch64 ios macabi apple macabi unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-apple-ios-sim aarch64 ios sim apple sim unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-apple-tvos aarch64 tvos - apple - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-apple-visionos aarch64 visionos - apple - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-apple-watchos aarch64 watchos - apple - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-linux-android aarch64 android - unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-unknown-fuchsia aarch64 fuchsia - unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-unknown-none aarch64 none - unknown - - 64 little 8,16,32,64,128,ptr abort',
  'aarch64-unknown-none-softfloat aarch64 none - unknown softfloat - 64 little 8,16,32,64,128,ptr abort',
  'aarch64-unknown-uefi aarch64 uefi - unknown - - 64 little 8,16,32,64,128,ptr abort',
  'arm-linux-androideabi arm android - unknown eabi unix 32 little 8,16,32,ptr unwind',
  'arm-unknown-linux-musleabi arm linux musl unknown eabi unix 32 little 8,16,32,64,ptr unwind',
  'arm-unknown-linux-musleabihf arm linux musl unknown eabihf unix 32 little 8,16,32,64,ptr unwind',
  'arm64ec-pc-windows-msvc arm64ec windows msvc pc - windows 64 little 8,16,32,64,128,ptr unwind',
  'armebv7r-none-eabi arm none - unknown eabi - 32 big 8,16,32,64,ptr abort',
  'armebv7r-none-eabihf arm none - unknown eabihf - 32 big 8,16,32,64,ptr abort',
  'armv5te-unknown-linux-gnueabi arm linux gnu unknown eabi unix 32 little 8,16,32,ptr unwind',
  'armv5te-unknown-linux-musleabi arm linux musl unknown eabi unix 32 little 8,16,32,ptr unwind',
  'armv7-linux-androideabi arm android - unknown eabi unix 32 little 8,16,32,64,ptr unwind',
  'armv7-unknown-linux-gnueabi arm linux gnu unknown eabi unix 32 little 8,16,32,64,ptr unwind',
  'armv7-unknown-linux-musleabi arm linux musl unknown eabi unix 32 little 8,16,32,64,ptr unwind',
  'armv7-unknown-linux-musleabihf arm linux musl unknown eabihf unix 32 little 8,16,32,64,ptr unwind',
  'armv7-unknown-linux-ohos arm linux ohos unknown eabi unix 32 little 8,16,32,64,ptr unwind',
  'armv7a-none-eabi arm none - unknown eabi - 32 little 8,16,32,64,ptr abort',
  'armv7r-none-eabi arm none - unknown eabi - 32 little 8,16,32,64,ptr abort',
  'armv7r-none-eabihf arm none - unknown eabihf - 32 little 8,16,32,64,ptr abort',
  'i586-unknown-linux-gnu x86 linux gnu unknown - unix 32 little 8,16,32,64,ptr unwind',
  'i586-unknown-linux-musl x86 linux musl unknown - unix 32 little 8,16,32,64,ptr unwind',
  'i686-linux-android x86 android - unknown - unix 32 little 8,16,32,64,ptr unwind',
  'i686-unknown-freebsd x86 freebsd - unknown - unix 32 little 8,16,32,64,ptr unwind',
  'i686-unknown-linux-musl x86 linux musl unknown - unix 32 little 8,16,32,64,ptr unwind',
  'i686-unknown-uefi x86 uefi - unknown - - 32 little 8,16,32,64,ptr abort',
  'loongarch64-unknown-none loongarch64 none - unknown - - 64 little 8,16,32,64,ptr abort',
  'loongarch64-unknown-none-softfloat loongarch64 none - unknown softfloat - 64 little 8,16,32,64,ptr abort',
  'nvptx64-nvidia-cuda nvptx64 cuda - nvidia - - 64 little 8,16,32,64,ptr abort',
  'riscv32i-unknown-none-elf riscv32 none - unknown - - 32 little - abort',
  'riscv32im-unknown-none-elf riscv32 none - unknown - - 32 little - abort',
  'riscv32imac-unknown-none-elf riscv32 none - unknown - - 32 little 8,16,32,ptr abort',
  'riscv32imafc-unknown-none-elf riscv32 none - unknown - - 32 little 8,16,32,ptr abort',
  'riscv32imc-unknown-none-elf riscv32 none - unknown - - 32 little - abort',
  'riscv64gc-unknown-none-elf riscv64 none - unknown - - 64 little 8,16,32,64,ptr abort',
  'riscv64imac-unknown-none-elf riscv64 none - unknown - - 64 little 8,16,32,64,ptr abort',
  'sparc64-unknown-linux-gnu sparc64 linux gnu unknown - unix 64 big 8,16,32,64,ptr unwind',
  'sparcv9-sun-solaris sparc64 solaris - sun - unix 64 big 8,16,32,64,ptr unwind',
  'thumbv6m-none-eabi arm none - unknown eabi - 32 little - abort',
  'thumbv7em-none-eabi arm none - unknown eabi - 32 little 8,16,32,ptr abort',
  'thumbv7em-none-eabihf arm none - unknown eabihf - 32 little 8,16,32,ptr abort',
  'thumbv7m-none-eabi arm none - unknown eabi - 32 little 8,16,32,ptr abort',
  'thumbv7neon-linux-androideabi arm android - unknown eabi unix 32 little 8,16,32,64,ptr unwind',
  'thumbv7neon-unknown-linux-gnueabihf arm linux gnu unknown eabihf unix 32 little 8,16,32,64,ptr unwind',
  'thumbv8m.base-none-eabi arm none - unknown eabi - 32 little 8,16,32,ptr abort',
  'thumbv8m.main-none-eabi arm none - unknown eabi - 32 little 8,16,32,ptr abort',
  'thumbv8m.main-none-eabihf arm none - unknown eabihf - 32 little 8,16,32,ptr abort',
  'wasm32-unknown-emscripten wasm32 emscripten - unknown - unix,wasm 32 little 8,16,32,64,ptr unwind',
  'wasm32-unknown-unknown wasm32 unknown - unknown - wasm 32 little 8,16,32,64,ptr abort',
  'wasm32-wasip1 wasm32 wasi p1 unknown - wasm 32 little 8,16,32,64,ptr abort',
  'wasm32-wasip1-threads wasm32 wasi p1 unknown - wasm 32 little 8,16,32,64,ptr abort',
  'wasm32-wasip2 wasm32 wasi p2 unknown - wasm 32 little 8,16,32,64,ptr abort',
  'wasm32v1-none wasm32 none - unknown - wasm 32 little 8,16,32,64,ptr abort',
  'x86_64-apple-ios x86_64 ios sim apple sim unix 64 little 8,16,32,64,128,ptr unwind',
  'x86_64-apple-ios-macabi x86_64 ios macabi apple macabi unix 64 little 8,16,32,64,128,ptr unwind',
  'x86_64-fortanix-unknown-sgx x86_64 unknown sgx fortanix fortanix - 64 little 8,16,32,64,ptr unwind',
  'x86_64-linux-android x86_64 android - unknown - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-pc-solaris x86_64 solaris - pc - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-fuchsia x86_64 fuchsia - unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'x86_64-unknown-linux-gnux32 x86_64 linux gnu unknown x32 unix 32 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-none x86_64 none - unknown - - 64 little 8,16,32,64,ptr abort',
  'x86_64-unknown-redox x86_64 redox relibc unknown - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-uefi x86_64 uefi - unknown - - 64 little 8,16,32,64,ptr abort',
  // the name wasm32-wasip1 had before Rust 1.84, still in many deny.toml files
  'wasm32-wasi wasm32 wasi - unknown - wasm 32 little 8,16,32,64,ptr abort',
  // tier 3, common in cfg conditions
  'aarch64-unknown-freebsd aarch64 freebsd - unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-unknown-netbsd aarch64 netbsd - unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'aarch64-unknown-openbsd aarch64 openbsd - unknown - unix 64 little 8,16,32,64,128,ptr unwind',
  'x86_64-unknown-openbsd x86_64 openbsd - unknown - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-dragonfly x86_64 dragonfly - unknown - unix 64 little 8,16,32,64,ptr unwind',
  'x86_64-unknown-haiku x86_64 haiku - unknown - unix 64 little 8,16,32,64,ptr unwind',
];

let table: Map<string, TargetInfo> | undefined;

function parseRow(row: string): TargetInfo {
  const [triple, arch, os, env, vendor, abi, families, pointerWidth, endian, atomics, panic] = row
    .split(' ')
    .map((field) => (field === '-' ? '' : field)) as string[] as [string, string, string, string, string, string, string, string, string, string, string];
  const list = (text: string): string[] => (text === '' ? [] : text.split(','));
  return {
    triple,
    arch,
    os,
    env,
    vendor,
    abi,
    families: list(families),
    pointerWidth,
    endian: endian as TargetInfo['endian'],
    atomics: list(atomics),
    panic: panic as TargetInfo['panic'],
  };
}

function targetTable(): Map<string, TargetInfo> {
  table ??= new Map(ROWS.map((row) => {
    const info = parseRow(row);
    return [info.triple, info];
  }));
  return table;
}

/** rustc's cfg values for a built-in target; undefined for a triple rustc does not know. */
export const builtinTarget = (triple: string): TargetInfo | undefined => targetTable().get(triple);

export const builtinTriples = (): string[] => [...targetTable().keys()];

/**
 * Whether `expr` holds on `target`. `debug_assertions` holds, as in the
 * `rustc --print cfg` output cargo evaluates dependency conditions with;
 * `test`, `proc_macro`, `feature = …` and names rustc does not set
 * (`miri`, `docsrs`, custom `--cfg` flags) do not.
 */
export function cfgHoldsOn(expr: CfgExpr, target: TargetInfo, features: readonly string[] = []): boolean {
  return evaluateCfg(expr, (leaf) => {
    if (leaf.kind === 'name') {
      if (leaf.name === 'unix' || leaf.name === 'windows') return target.families.includes(leaf.name);
      return leaf.name === 'debug_assertions';
    }
    if (leaf.key === 'target_feature') return features.includes(leaf.value);
    return CFG_KEYS.get(leaf.key)?.(target).includes(leaf.value) ?? false;
  });
}

/** The values a target gives each `key = "value"` cfg rustc sets. */
const CFG_KEYS = new Map<string, (t: TargetInfo) => readonly string[]>([
  ['target_os', (t) => [t.os]],
  ['target_arch', (t) => [t.arch]],
  ['target_env', (t) => [t.env]],
  ['target_vendor', (t) => [t.vendor]],
  ['target_abi', (t) => [t.abi]],
  ['target_family', (t) => t.families],
  ['target_pointer_width', (t) => [t.pointerWidth]],
  ['target_endian', (t) => [t.endian]],
  ['target_has_atomic', (t) => t.atomics],
  ['panic', (t) => [t.panic]],
]);
