/**
 * Installs the WGSL kernels: call once after `tf.setBackend('webgpu')` (the worker does).
 * From then on maskedConv2d, sparseConv2d and sparseBatchNorm run their WGSL passes whenever
 * the active backend is webgpu. Idempotent.
 *
 * The only module that imports `.wgsl?raw` (a Vite feature): nothing under op.ts / reference.ts
 * reaches it, so the Node runner (tsx, no `?raw`) can load the ops and gets the reference path.
 */
import libBnElement from '../../../../shaders/lib_bn_element.wgsl?raw';
import libGroupSum from '../../../../shaders/lib_group_sum.wgsl?raw';
import libMaskAt from '../../../../shaders/lib_mask_at.wgsl?raw';
import libPixelRun from '../../../../shaders/lib_pixel_run.wgsl?raw';
import libSiteBlock from '../../../../shaders/lib_site_block.wgsl?raw';
import libSitePack from '../../../../shaders/lib_site_pack.wgsl?raw';
import maskedConvFilterGrad from '../../../../shaders/masked_conv_filter_grad.wgsl?raw';
import maskedConvForward from '../../../../shaders/masked_conv_forward.wgsl?raw';
import maskedConvInputGrad from '../../../../shaders/masked_conv_input_grad.wgsl?raw';
import sparseBnForward from '../../../../shaders/sparse_bn_forward.wgsl?raw';
import sparseBnGradStats from '../../../../shaders/sparse_bn_grad_stats.wgsl?raw';
import sparseBnInputGrad from '../../../../shaders/sparse_bn_input_grad.wgsl?raw';
import sparseBnStats from '../../../../shaders/sparse_bn_stats.wgsl?raw';
import sparseConvCompact from '../../../../shaders/sparse_conv_compact.wgsl?raw';
import sparseConvFilterGrad from '../../../../shaders/sparse_conv_filter_grad.wgsl?raw';
import sparseConvForward from '../../../../shaders/sparse_conv_forward.wgsl?raw';
import sparseConvInputGrad from '../../../../shaders/sparse_conv_input_grad.wgsl?raw';
import { installShaderSources } from './shaderRegistry';

export function registerWebGPUKernels(): void {
  installShaderSources({
    masked_conv_forward: maskedConvForward,
    masked_conv_input_grad: maskedConvInputGrad,
    masked_conv_filter_grad: maskedConvFilterGrad,
    sparse_conv_compact: sparseConvCompact,
    sparse_conv_forward: sparseConvForward,
    sparse_conv_input_grad: sparseConvInputGrad,
    sparse_conv_filter_grad: sparseConvFilterGrad,
    sparse_bn_stats: sparseBnStats,
    sparse_bn_forward: sparseBnForward,
    sparse_bn_grad_stats: sparseBnGradStats,
    sparse_bn_input_grad: sparseBnInputGrad,
    mask_at: libMaskAt,
    site_block: libSiteBlock,
    site_pack: libSitePack,
    group_sum: libGroupSum,
    bn_element: libBnElement,
    pixel_run: libPixelRun,
  });
}
