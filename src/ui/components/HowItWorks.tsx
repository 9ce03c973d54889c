/**
 * "How this works": what the page does, the two papers, a plain-words guide to each chart (the
 * difference curve above all) and the keyboard shortcuts. Closed by default; static text only.
 */
import { SHORTCUTS } from '../shortcuts';

const MGD_PAPER = 'https://arxiv.org/abs/2205.01529';
const HGKD_PAPER = 'https://arxiv.org/abs/2309.09571';
const MGD_CODE = 'https://github.com/yzd-v/MGD';
const SPARK_CODE = 'https://github.com/keyu-tian/SparK';

export function HowItWorks() {
  return (
    <details className="how-it-works" data-testid="how-it-works">
      <summary>How this works</summary>
      <div className="how-body">
        <section>
          <h2>What the page does</h2>
          <p>
            It trains a small <b>student</b> network on MNIST or Fashion-MNIST, in your browser (a Web Worker: WebGPU, wasm or WebGL), while a trained{' '}
            <b>teacher</b> network guides it — <i>knowledge distillation</i>. Pick a method and its weights on the left, press <b>Train</b>, and watch the curves.
            Every setting is in the page address, so a link reproduces a run. Finished runs are kept in the <b>Runs</b> table to compare and overlay.
          </p>
          <ul>
            <li>
              <b>MGD</b> — Masked Generative Distillation (Yang et al., ECCV 2022,{' '}
              <a href={MGD_PAPER} target="_blank" rel="noreferrer">
                arXiv 2205.01529
              </a>
              ,{' '}
              <a href={MGD_CODE} target="_blank" rel="noreferrer">
                official code
              </a>
              ): a random part of the student&apos;s feature map is masked (ratio λ) and a small generator must rebuild the <i>teacher&apos;s</i> full feature
              from what is left; loss = cross-entropy + α · that reconstruction error. <b>mimic</b> is the plain baseline (student feature ≈ teacher feature),{' '}
              <b>kd</b> Hinton&apos;s soft-label distillation.
            </li>
            <li>
              <b>H-GKD</b> — Heterogeneous Generative KD with masked image modelling (
              <a href={HGKD_PAPER} target="_blank" rel="noreferrer">
                arXiv 2309.09571
              </a>
              ; no public code, built after{' '}
              <a href={SPARK_CODE} target="_blank" rel="noreferrer">
                SparK
              </a>
              ): a ViT teacher pre-trained by masked image modelling; the student CNN sees the image with patches hidden, runs sparse convolutions, and learns
              the teacher&apos;s patch embeddings; then it is fine-tuned with labels beside a student trained from scratch.
            </li>
          </ul>
          <p className="how-source">
            Source: the repository&apos;s <code>src/core</code> holds all the training code (losses in <code>src/core/distill/losses.ts</code>, H-GKD in{' '}
            <code>src/core/hgkd/</code>), the same code the headless runner (<code>npm run experiment</code>) runs; its README describes the rest.
          </p>
        </section>
        <section>
          <h2>Reading the charts</h2>
          <dl className="how-charts">
            <dt>Loss</dt>
            <dd>
              <b>task</b>: cross-entropy on the training batch (lower = better fit). <b>distill</b>: the weighted distillation term (α · MGD or mimic term, plus the KD
              term); its size depends on α, so compare its shape, not its height, across α.
            </dd>
            <dt>Difference</dt>
            <dd>
              How far the student&apos;s feature map is from the teacher&apos;s: Σ(align(S) − T)² over all channels and positions, per image. It is a{' '}
              <b>sum</b>, so its scale grows with the feature size (C·H·W) — compare it between runs of the same teacher and student, not across pairs. Under{' '}
              <b>mimic</b> it falls, because mimic minimises exactly this. Under <b>MGD</b> it need not fall and may even rise: MGD asks the generator to rebuild
              the teacher from the <i>masked</i> student, not the student to copy the teacher, so the student&apos;s own features are free to differ — the paper&apos;s
              Fig. 3 shows the difference growing under MGD while accuracy rises. A rising curve under MGD is not a failure.
            </dd>
            <dt>Accuracy</dt>
            <dd>
              <b>train</b>: running mean of batch accuracy. <b>test</b>: on the first &ldquo;Test images&rdquo; every &ldquo;Eval every&rdquo; steps; the last point
              is the final evaluation — <i>quick</i> (the same test images) or <i>full</i> (all 10,000), as &ldquo;Final evaluation&rdquo; says and the outcome line
              reports. Dashed: the teacher&apos;s test accuracy. Markers: live α / λ changes.
            </dd>
            <dt>Feature maps</dt>
            <dd>
              One test image through the nets: teacher feature T, the student&apos;s aligned feature, the mask, the masked feature and (MGD) what the generator made of
              it, with its error |G − T|.
            </dd>
            <dt>H-GKD charts</dt>
            <dd>
              Distillation: token MSE (student vs teacher patch embeddings), similarity loss and Pearson r (how alike their similarity distributions over the queue
              are; r → 1 is better). Then cross-entropy and test accuracy of the fine-tuned student against the scratch baseline: the gap is what distillation
              bought. The mask view shows the hidden patches and whether the student&apos;s features stay 0 in the holes (sparse conv) or fill them (dense).
            </dd>
          </dl>
        </section>
        <section>
          <h2>Keyboard</h2>
          <ul className="how-keys" data-testid="shortcut-list">
            {SHORTCUTS.map((s) => (
              <li key={s.key}>
                <kbd>{s.label}</kbd> {s.does}
              </li>
            ))}
          </ul>
          <p className="how-note">Not while typing in a field.</p>
        </section>
      </div>
    </details>
  );
}
