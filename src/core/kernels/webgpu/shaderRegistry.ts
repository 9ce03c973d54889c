/**
 * The WGSL bodies, by name. Empty until `registerWebGPUKernels()` (registerWebGPU.ts) installs
 * them: only that module imports the `.wgsl?raw` files, so everything else here also loads under
 * tsx / plain Node, where `?raw` imports do not exist (and where the reference path runs).
 */

export const SHADER_NAMES = [
  'masked_conv_forward',
  'masked_conv_input_grad',
  'masked_conv_filter_grad',
  'sparse_conv_compact',
  'sparse_conv_forward',
  'sparse_conv_input_grad',
  'sparse_conv_filter_grad',
  'sparse_bn_stats',
  'sparse_bn_forward',
  'sparse_bn_grad_stats',
  'sparse_bn_input_grad',
] as const;

export type ShaderName = (typeof SHADER_NAMES)[number];

/**
 * Shared WGSL pieces (shaders/lib_<name>.wgsl): a body pulls one in with a line
 * `//#include <name>`, so helpers common to several passes are written once.
 */
export const SNIPPET_NAMES = ['mask_at', 'site_block', 'site_pack', 'group_sum', 'bn_element', 'pixel_run'] as const;

export type SnippetName = (typeof SNIPPET_NAMES)[number];

export type ShaderSources = Readonly<Record<ShaderName | SnippetName, string>>;

/** Compile-time sizes substituted for `{{NAME}}` in a shader body (kernel size, stride, …). */
export type ShaderParams = Readonly<Record<string, number>>;

let sources: ShaderSources | null = null;

export function installShaderSources(all: ShaderSources): void {
  for (const name of [...SHADER_NAMES, ...SNIPPET_NAMES]) {
    if (typeof all[name] !== 'string' || all[name].length === 0) throw new Error(`WGSL source for ${name} is missing`);
  }
  sources = all;
}

export function shadersInstalled(): boolean {
  return sources !== null;
}

/** `body` with each `//#include <snippet>` line replaced by that snippet (one level: snippets include nothing). */
function expandIncludes(name: string, body: string, all: ShaderSources): string {
  return body.replace(/^\/\/#include (\w+)[ \t]*$/gm, (_, snippet: string) => {
    if (!(SNIPPET_NAMES as readonly string[]).includes(snippet)) throw new Error(`${name}.wgsl includes unknown snippet ${snippet}`);
    return all[snippet as SnippetName];
  });
}

/** The body of `name` with its includes expanded and `{{PARAM}}`s filled in; every placeholder must get a value and vice versa. */
export function renderShader(name: ShaderName, params: ShaderParams): string {
  if (sources === null) throw new Error('WGSL kernels are not registered: call registerWebGPUKernels() after setBackend("webgpu")');
  const used = new Set<string>();
  const code = expandIncludes(name, sources[name], sources).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined || !Number.isInteger(value)) throw new Error(`${name}.wgsl: no integer value for {{${key}}}`);
    used.add(key);
    return String(value);
  });
  const unused = Object.keys(params).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`${name}.wgsl has no placeholder for ${unused.join(', ')}`);
  return code;
}
