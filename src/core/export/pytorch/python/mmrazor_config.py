"""This run as an MMRazor (1.x, OpenMMLab) distillation config for full-size models:
ResNet-34 (teacher) -> ResNet-18 (student) on ImageNet, hooked at backbone.layer4 (512x7x7),
through SingleTeacherDistill + ConfigurableDistiller. Use it as a starting point:

    mim train mmrazor mmrazor_config.py     # with mmrazor>=1.0, mmcls/mmpretrain installed

What carries over: the method, the MGD mask ratio lambda and mask kind, the KD temperature and
weight, and alpha rescaled by the feature-size rule (our loss and MMRazor's MGDLoss / L2Loss are
sums over C*H*W divided by N: alpha_full = alpha * (C*H*W here) / 25088). What does not: the
models (ours are small CNNs on 28x28 images), the data, the learning-rate schedule and the
training length (MMRazor's ImageNet recipe from the base config is used), and the teacher
checkpoint (set teacher_ckpt). Pinned to MMRazor 1.0.0: its connector is MGDConnector
(early 1.x spelled it MGDConncetor).
"""
# --- mapped from the playground run (the exporter rewrites this block) ---
PLAYGROUND_URL = "http://127.0.0.1:5173/?seed=1"
METHOD = "mgd"
ALPHA_MGD = 7e-05
ALPHA_MIMIC = 7e-05
LAMBDA_MGD = 0.5
MASK_ON_CHANNEL = False
KD_TAU = 4
KD_WEIGHT = 1
# --- end of mapped values ---

_base_ = ["mmcls::resnet/resnet18_8xb32_in1k.py"]

STUDENT_CHANNELS = 512  # ResNet-18 backbone.layer4
TEACHER_CHANNELS = 512  # ResNet-34 backbone.layer4
teacher_ckpt = "https://download.openmmlab.com/mmclassification/v0/resnet/resnet34_8xb32_in1k_20210831-f257d4e6.pth"

student_recorders = dict(fm=dict(type="ModuleOutputs", source="backbone.layer4"), logits=dict(type="ModuleOutputs", source="head.fc"))
teacher_recorders = dict(fm=dict(type="ModuleOutputs", source="backbone.layer4"), logits=dict(type="ModuleOutputs", source="head.fc"))

MAPPED = ("none", "kd", "mimic", "mgd", "mgd+kd")
if METHOD not in MAPPED:
    raise ValueError(f"method {METHOD} has no MMRazor mapping here (mapped: {', '.join(MAPPED)}); train.py runs it")

distill_losses, connectors, loss_forward_mappings = {}, {}, {}
if METHOD in ("mgd", "mgd+kd"):
    distill_losses["loss_mgd"] = dict(type="MGDLoss", alpha_mgd=ALPHA_MGD)
    connectors["loss_mgd_sfeat"] = dict(
        type="MGDConnector", student_channels=STUDENT_CHANNELS, teacher_channels=TEACHER_CHANNELS,
        lambda_mgd=LAMBDA_MGD, mask_on_channel=MASK_ON_CHANNEL)
    loss_forward_mappings["loss_mgd"] = dict(
        preds_S=dict(from_student=True, recorder="fm", connector="loss_mgd_sfeat"),
        preds_T=dict(from_student=False, recorder="fm"))
if METHOD == "mimic":
    # Feature mimicking = squared L2 summed over C*H*W / N; widths are equal, so no connector.
    distill_losses["loss_mimic"] = dict(type="L2Loss", loss_weight=ALPHA_MIMIC, normalize=False, div_element=False)
    loss_forward_mappings["loss_mimic"] = dict(
        s_feature=dict(from_student=True, recorder="fm"), t_feature=dict(from_student=False, recorder="fm"))
if METHOD in ("kd", "mgd+kd"):
    distill_losses["loss_kl"] = dict(type="KLDivergence", tau=KD_TAU, loss_weight=KD_WEIGHT, reduction="batchmean")
    loss_forward_mappings["loss_kl"] = dict(
        preds_S=dict(from_student=True, recorder="logits"), preds_T=dict(from_student=False, recorder="logits"))

if METHOD != "none":
    model = dict(
        _scope_="mmrazor",
        type="SingleTeacherDistill",
        data_preprocessor=dict(
            type="ImgDataPreprocessor", mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
        architecture=dict(cfg_path="mmcls::resnet/resnet18_8xb32_in1k.py", pretrained=False),
        teacher=dict(cfg_path="mmcls::resnet/resnet34_8xb32_in1k.py", pretrained=True),
        teacher_ckpt=teacher_ckpt,
        distiller=dict(
            type="ConfigurableDistiller",
            student_recorders=student_recorders,
            teacher_recorders=teacher_recorders,
            distill_losses=distill_losses,
            connectors=connectors,
            loss_forward_mappings=loss_forward_mappings))
    find_unused_parameters = True
    val_cfg = dict(_delete_=True, type="mmrazor.SingleTeacherDistillValLoop")
