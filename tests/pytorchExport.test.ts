/**
 * The PyTorch project's pieces without torch: safetensors bytes, engine → PyTorch names and
 * layouts for every architecture, the files and README, mmrazor_config.py (valid Python holding
 * the mapped values, read back by python3's ast), and configs that cannot be exported (H-GKD:
 * a message naming what is missing and no folder).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, parseConfigStrict } from '../src/core/config';
import { Net } from '../src/core/models/net';
import { Distiller, distillSettingsOf } from '../src/core/distill/distiller';
import { resolveArch } from '../src/core/models/registry';
import { buildPytorchProject, checkExportable, decodeSafetensors, encodeSafetensors, PYTORCH_METHODS, PytorchExportError, type InitialState } from '../src/core/export/pytorch';
import { METHODS } from '../src/core/methods';
import { permute, toTorch, torchName } from '../src/core/export/pytorch/torchLayout';
import { mmrazorConfig, mmrazorMapping } from '../src/core/export/pytorch/mmrazor';
import { readPythonSources, writePytorchProject } from '../src/node/export/pytorchProject';
import { MNIST_NET } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('safetensors', () => {
  it('round-trips F32 and I32 tensors with an 8-byte aligned header and metadata', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'a', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, -6.5) },
        { name: 'i', shape: [3], data: Int32Array.of(7, -8, 9) },
      ],
      { seed: '3' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ seed: '3' });
    expect(back.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['a', [2, 3], [1, 2, 3, 4, 5, -6.5]],
      ['i', [3], [7, -8, 9]],
    ]);
  });
  it('refuses a shape that does not match the data', () => {
    expect(() => encodeSafetensors([{ name: 'a', shape: [2, 2], data: new Float32Array(3) }])).toThrow(/3 values for shape \[2,2\]/);
  });
});

describe('engine → PyTorch layout', () => {
  it('conv filters HWIO → OIHW, depthwise [k,k,c,1] → [c,1,k,k], dense [in,out] → [out,in]', () => {
    // w[kh][kw][ci][co] = 1000·kh + 100·kw + 10·ci + co, shape [2, 3, 4, 5]
    const shape = [2, 3, 4, 5];
    const data = new Float32Array(120).map((_, i) => {
      const co = i % 5, ci = Math.floor(i / 5) % 4, kw = Math.floor(i / 20) % 3, kh = Math.floor(i / 60);
      return 1000 * kh + 100 * kw + 10 * ci + co;
    });
    const t = toTorch('s1.b1.conv1.w', shape, data);
    expect(t.shape).toEqual([5, 4, 2, 3]);
    // torch [co=4][ci=3][kh=1][kw=2] at ((4·4 + 3)·2 + 1)·3 + 2
    expect(t.data[((4 * 4 + 3) * 2 + 1) * 3 + 2]).toBe(1000 + 200 + 30 + 4);
    const dw = toTorch('s1.b1.dw.w', [3, 3, 2, 1], new Float32Array(18).map((_, i) => i));
    expect(dw.shape).toEqual([2, 1, 3, 3]);
    expect(Array.from(dw.data.slice(0, 3))).toEqual([0, 2, 4]); // channel 0, row 0
    expect(permute(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0]).data).toEqual(Float32Array.of(1, 4, 2, 5, 3, 6));
  });
  it('names every parameter of every family (and heads) uniquely, as models.py / losses.py do', () => {
    for (const spec of ['resnet:16-32-64x2', 'resnet:8-16-32x1', 'mobilenet:24-48-96x1', 'resnet:16-32-64-128x1-2-1-3']) {
      const net = new Net(resolveArch(spec), 1, 'layout', MNIST_NET);
      const names = net.params.named().map(([n]) => torchName(n));
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain('stem.conv.weight');
      expect(names).toContain('head.weight');
      net.dispose();
    }
    const d = new Distiller({ ...distillSettingsOf(DEFAULT_CONFIG, 'mgd'), alpha: 1 }, [{ student: [7, 7, 32], teacher: [7, 7, 64], teacherBn: { gamma: tf.ones([64]), beta: tf.zeros([64]) } }], 1, { student: 32, teacher: 64, teacherHead: (p) => p }, 1);
    expect(d.params.named().map(([n]) => torchName(n))).toEqual(['aligns.0.weight', 'aligns.0.bias', 'gens.0.0.weight', 'gens.0.0.bias', 'gens.0.1.weight', 'gens.0.1.bias']);
    d.dispose();
    expect(() => torchName('vit.block1.attn.w')).toThrow(/no PyTorch name/);
  });
});

const emptyState: InitialState = { teacher: [], student: [], heads: [], subset: Int32Array.of(1, 2) };

describe('project files', () => {
  it('README starts with the two commands; config.json holds the config, the URL and resolved settings', async () => {
    const config = parseConfigStrict('method=mgd&student=resnet-xs&batch=32&seed=4');
    const files = buildPytorchProject({ config, url: 'http://x/?seed=4', state: emptyState, sources: await readPythonSources() });
    const text = (p: string) => new TextDecoder().decode(files.find((f) => f.path === p)!.bytes);
    expect(text('README.md').split('\n').slice(0, 2)).toEqual(['python train.py', 'torchrun --nproc_per_node=<GPUs> train.py']);
    const cj = JSON.parse(text('config.json'));
    expect(cj.config).toEqual(config);
    expect(cj.url).toBe('http://x/?seed=4');
    expect(cj.resolved).toMatchObject({ teacher: 'resnet:16-32-64x2', student: 'resnet:8-16-32x1', stages: [2], teacherFeatureSize: 3136 });
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['models.py', 'losses.py', 'train.py', 'mmrazor_config.py', 'weights/teacher.safetensors', 'weights/student_init.safetensors', 'weights/heads_init.safetensors', 'weights/replay.safetensors']));
  });

  it('the project trains with the run\'s recipe: recipe.py ships, the README names it', async () => {
    const sources = await readPythonSources();
    const readme = (query: string) => {
      const files = buildPytorchProject({ config: parseConfigStrict(query), url: 'http://x/', state: emptyState, sources });
      expect(files.map((f) => f.path)).toContain('recipe.py');
      return new TextDecoder().decode(files.find((f) => f.path === 'README.md')!.bytes);
    };
    expect(readme('v=2&optimizer=sgd&momentum=0.8&wd=5e-4&lrSchedule=step&lrGamma=0.5&lrEvery=50&warmup=10&lr=0.05')).toContain('SGD (momentum 0.8), lr 0.05, ×0.5 every 50 steps, 10 warm-up steps, weight decay 0.0005');
    expect(readme('v=2&lr=0.003&lrFloor=0.7')).toContain('Adam, cosine lr 0.003 → 0.0021');
    expect(readme('method=kd&seed=1')).toContain('Adam, constant lr 0.001'); // a link of before
  });

  it('mmrazor_config.py is valid Python holding the mapped method, α (feature-size rule), λ, mask, T, KD weight', async () => {
    const sources = await readPythonSources();
    const config = parseConfigStrict('method=mgd%2Bkd&alpha=5.6e-4&lambda=0.65&mask=channel&kdT=3&kdW=0.5');
    const text = mmrazorConfig(sources['mmrazor_config.py'], mmrazorMapping(config, 3136), 'http://x/?a=1');
    const dir = mkdtempSync(path.join(tmpdir(), 'mmr-'));
    writeFileSync(path.join(dir, 'c.py'), text);
    const script = [
      'import ast, json, sys',
      'tree = ast.parse(open(sys.argv[1]).read())',
      'vals = {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}',
      'print(json.dumps(vals))',
    ].join('\n');
    const vals = JSON.parse(execFileSync('python3', ['-c', script, path.join(dir, 'c.py')], { encoding: 'utf8' }));
    expect(vals).toMatchObject({ METHOD: 'mgd+kd', ALPHA_MGD: 7e-5, LAMBDA_MGD: 0.65, MASK_ON_CHANNEL: true, KD_TAU: 3, KD_WEIGHT: 0.5, PLAYGROUND_URL: 'http://x/?a=1' });
    expect(text).toContain('type="MGDConnector"');
    expect(text).toContain('type="ConfigurableDistiller"');
  });

  it('H-GKD: a message naming what is missing, and no folder written', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'pt-hgkd-')), 'project');
    const config = parseConfigStrict('method=hgkd');
    await expect(writePytorchProject(config, out)).rejects.toThrow(PytorchExportError);
    await expect(writePytorchProject(config, out)).rejects.toThrow(/method=hgkd .*ViT teacher, sparse-conv student/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(path.dirname(out))).toEqual([]);
  });

  it('a Distiller method without a python twin: a message naming it, and the twins are losses.py\'s METHODS', async () => {
    const py = (await readPythonSources())['losses.py'];
    expect(/^METHODS = \(([^)]*)\)/m.exec(py)![1].split(',').map((m) => m.trim().replace(/"/g, '')).filter(Boolean)).toEqual(PYTORCH_METHODS);
    for (const m of METHODS.filter((d) => d.pipeline === 'distill' && !PYTORCH_METHODS.includes(d.id as never))) {
      expect(() => checkExportable(parseConfigStrict(`method=${encodeURIComponent(m.id)}`)), m.id).toThrow(new RegExp(`method=${m.id.replace('+', '\\+')} has no PyTorch twin yet`));
    }
  });

  it('a run on a loaded dataset: a message naming the dataset and what still exports, and no folder written', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'pt-import-')), 'project');
    const config = parseConfigStrict('dataset=import-0123456789ab:colours:32x3:5:800:200&teacher=resnet-s');
    await expect(writePytorchProject(config, out)).rejects.toThrow(/loaded dataset \("colours" \(import-0123456789ab; 5 classes.*its ONNX and tfjs exports work/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a non-empty --out folder', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pt-full-'));
    mkdirSync(path.join(out, 'x'));
    await expect(writePytorchProject(parseConfigStrict('method=kd'), out)).rejects.toThrow(/exists and is not empty/);
  });
});
