/**
 * Import fixtures written by /usr/bin/python3 (PIL for images, tarfile/zipfile for archives),
 * so the TS readers are checked against files made by other tools.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const tempDir = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));

function python(script: string, ...args: string[]): string {
  return execFileSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8' });
}

/**
 * <dir>/<top>/{circle,square,stripes}/…: each class `perClass` images drawn with a class-typical
 * shape, in mixed sizes (40×40, 50×30, 32×32) and formats (PNG RGB, PNG grey, JPEG); `bad` adds a
 * zero-byte file, a text file and a truncated PNG. With `splitDirs` the classes sit under train/ and test/.
 */
export function writeClassFolder(dir: string, o: { perClass?: number; bad?: boolean; splitDirs?: boolean; grey?: boolean; top?: string } = {}): string {
  const root = path.join(dir, o.top ?? 'shapes');
  python(
    `
import os, sys, random
from PIL import Image, ImageDraw
root, per, bad, split, grey = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1', sys.argv[4] == '1', sys.argv[5] == '1'
rnd = random.Random(0)
sizes = [(40, 40), (50, 30), (32, 32)]
for ci, cls in enumerate(['circle', 'square', 'stripes']):
    for i in range(per):
        sub = os.path.join(root, ('test' if i % 4 == 3 else 'train') if split else '', cls)
        os.makedirs(sub, exist_ok=True)
        w, h = sizes[i % 3]
        im = Image.new('RGB', (w, h), (rnd.randrange(60), rnd.randrange(60), rnd.randrange(60)))
        d = ImageDraw.Draw(im)
        col = [(255, 40, 40), (40, 255, 40), (40, 40, 255)][ci]
        if cls == 'circle': d.ellipse([w*0.2, h*0.2, w*0.8, h*0.8], fill=col)
        elif cls == 'square': d.rectangle([w*0.25, h*0.25, w*0.75, h*0.75], fill=col)
        else:
            for x in range(0, w, 6): d.rectangle([x, 0, x + 2, h], fill=col)
        if grey: im = im.convert('L')
        kind = i % 3
        if kind == 0: im.save(os.path.join(sub, f'{i:03d}.png'))
        elif kind == 1: im.convert('L').save(os.path.join(sub, f'{i:03d}.png'))
        else: im.save(os.path.join(sub, f'{i:03d}.jpg'), quality=90)
if bad:
    d = os.path.join(root, 'train' if split else '', 'circle')
    open(os.path.join(d, 'empty.png'), 'wb').close()
    open(os.path.join(d, 'notes.txt'), 'w').write('not an image')
    good = open(os.path.join(d, '000.png'), 'rb').read()
    open(os.path.join(d, 'broken.png'), 'wb').write(good[:len(good) // 2])
`,
    root, String(o.perClass ?? 8), o.bad ? '1' : '0', o.splitDirs ? '1' : '0', o.grey ? '1' : '0',
  );
  return root;
}

/** Packs a folder as .zip or .tar.gz (the folder's name as the top entry), returns the archive path. */
export function packFolder(folder: string, kind: 'zip' | 'tar.gz'): string {
  const out = `${folder}.${kind}`;
  python(
    `
import os, sys, zipfile, tarfile
src, out, kind = sys.argv[1], sys.argv[2], sys.argv[3]
base = os.path.dirname(src)
if kind == 'zip':
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for r, _, fs in sorted(os.walk(src), reverse=True):
            for f in sorted(fs, reverse=True): z.write(os.path.join(r, f), os.path.relpath(os.path.join(r, f), base))
else:
    with tarfile.open(out, 'w:gz') as t: t.add(src, arcname=os.path.basename(src))
`,
    folder, out, kind,
  );
  return out;
}

/**
 * A CIFAR-format binary archive laid out as published (cifar-10-batches-bin/data_batch_{1..5}.bin,
 * test_batch.bin, batches.meta.txt; CIFAR-100: cifar-100-binary/{train,test}.bin and the label
 * name files), `perBatch` random records per batch whose class shows in the mean colour so a
 * net can learn it. Returns the archive path.
 */
export function writeCifarArchive(dir: string, kind: 'cifar10' | 'cifar100', perBatch = 20): string {
  const out = path.join(dir, kind === 'cifar10' ? 'cifar-10-binary.tar.gz' : 'cifar-100-binary.tar.gz');
  python(
    `
import io, sys, tarfile, numpy as np
out, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = np.random.RandomState(0)
def records(count, classes, coarse):
    fine = r.randint(0, classes, count).astype(np.uint8)
    px = r.randint(0, 120, (count, 3, 32, 32)).astype(np.int32)
    px[np.arange(count), fine % 3] += 100 + (fine[:, None, None] * 7) % 30
    px = np.clip(px, 0, 255).astype(np.uint8).reshape(count, -1)
    lab = fine[:, None] if not coarse else np.stack([fine // 5, fine], 1).astype(np.uint8)
    return np.concatenate([lab, px], 1).tobytes()
files = {}
if kind == 'cifar10':
    top = 'cifar-10-batches-bin'
    for b in range(1, 6): files[f'{top}/data_batch_{b}.bin'] = records(n, 10, False)
    files[f'{top}/test_batch.bin'] = records(n, 10, False)
    files[f'{top}/batches.meta.txt'] = ('\\n'.join(['airplane','automobile','bird','cat','deer','dog','frog','horse','ship','truck']) + '\\n\\n').encode()
    files[f'{top}/readme.html'] = b'<html></html>'
else:
    top = 'cifar-100-binary'
    files[f'{top}/train.bin'] = records(5 * n, 100, True)
    files[f'{top}/test.bin'] = records(n, 100, True)
    files[f'{top}/fine_label_names.txt'] = '\\n'.join(f'fine{i}' for i in range(100)).encode()
    files[f'{top}/coarse_label_names.txt'] = '\\n'.join(f'coarse{i}' for i in range(20)).encode()
with tarfile.open(out, 'w:gz') as t:
    d = tarfile.TarInfo(top); d.type = tarfile.DIRTYPE; t.addfile(d)
    for name, data in files.items():
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
`,
    out, kind, String(perBatch),
  );
  return out;
}
