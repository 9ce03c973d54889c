/**
 * renderShader: `{{PARAM}}` templates and `//#include <snippet>` lines. Runs without a GPU: the
 * registry is plain string handling, checked here on the real shader files and on a made-up body.
 */
import { describe, expect, it } from 'vitest';
import { registerWebGPUKernels } from '../../src/core/kernels/webgpu/registerWebGPU';
import { installShaderSources, renderShader, SHADER_NAMES, SNIPPET_NAMES, type ShaderSources } from '../../src/core/kernels/webgpu/shaderRegistry';

describe('shader registry', () => {
  it('expands every include of the shipped shaders and leaves no directive or placeholder behind', () => {
    registerWebGPUKernels();
    const masked = renderShader('masked_conv_forward', { K: 3, S: 2, PIXEL_MASK: 1 });
    expect(masked).toContain('fn pixelMask(');
    expect(masked).toContain('const K = 3;');
    for (const name of SHADER_NAMES) {
      const params = Object.fromEntries([...renderShaderPlaceholders(name)].map((k) => [k, 1]));
      const code = renderShader(name, params);
      expect(code, name).not.toMatch(/^\/\/#include|\{\{/m);
    }
  });

  it('names the shader and the snippet when an include is unknown, and checks template parameters after expansion', () => {
    const base = Object.fromEntries([...SHADER_NAMES, ...SNIPPET_NAMES].map((n) => [n, `// ${n}`])) as Record<string, string>;
    installShaderSources({ ...base, mask_at: 'const M = {{M}};', masked_conv_forward: '//#include mask_at\n//#include nope\nfn main(index : i32) {}' } as ShaderSources);
    expect(() => renderShader('masked_conv_forward', { M: 1 })).toThrow('masked_conv_forward.wgsl includes unknown snippet nope');
    installShaderSources({ ...base, mask_at: 'const M = {{M}};', masked_conv_forward: '//#include mask_at\nfn main(index : i32) {}' } as ShaderSources);
    expect(renderShader('masked_conv_forward', { M: 4 })).toBe('const M = 4;\nfn main(index : i32) {}');
    expect(() => renderShader('masked_conv_forward', {})).toThrow('no integer value for {{M}}');
  });
});

/** The `{{NAME}}`s a shipped body (with its snippets) uses, found by rendering with none and reading the error. */
function renderShaderPlaceholders(name: (typeof SHADER_NAMES)[number]): Set<string> {
  const found = new Set<string>();
  for (;;) {
    try {
      renderShader(name, Object.fromEntries([...found].map((k) => [k, 1])));
      return found;
    } catch (e) {
      const m = /no integer value for \{\{(\w+)\}\}/.exec(String(e));
      if (!m) throw e;
      found.add(m[1]);
    }
  }
}
