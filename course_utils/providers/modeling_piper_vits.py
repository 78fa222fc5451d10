"""A Piper "medium" voice as a transformers ``VitsModel``.

Piper voices are VITS models whose HiFi-GAN decoder uses *residual block 2*: one dilated convolution per
step (x + conv(leaky_relu(x))), where transformers' ``HifiGanResidualBlock`` has two (block 1). This file
swaps the decoder's blocks; everything else is ``VitsModel``. ``save_pretrained`` copies it next to the
weights and ``config.json`` names it in ``auto_map``, so ``from_pretrained(..., trust_remote_code=True)``
and ``pipeline("text-to-speech", ..., trust_remote_code=True)`` load the voice. It imports nothing but
torch and transformers, because it travels alone.
"""
from torch import nn
from transformers import VitsModel


class PiperResidualBlock(nn.Module):
    """HiFi-GAN residual block 2: for each dilation, ``x = x + conv(leaky_relu(x))``."""

    def __init__(self, channels: int, kernel_size: int, dilations: list[int], leaky_relu_slope: float):
        super().__init__()
        self.leaky_relu_slope = leaky_relu_slope
        self.convs = nn.ModuleList(
            nn.Conv1d(channels, channels, kernel_size, dilation=d, padding=(kernel_size * d - d) // 2) for d in dilations
        )

    def forward(self, hidden_states):
        for conv in self.convs:
            hidden_states = hidden_states + conv(nn.functional.leaky_relu(hidden_states, self.leaky_relu_slope))
        return hidden_states


class PiperVitsModel(VitsModel):
    """``VitsModel`` with the decoder's residual blocks of a Piper voice."""

    def __init__(self, config):
        super().__init__(config)
        kernels = list(zip(config.resblock_kernel_sizes, config.resblock_dilation_sizes))
        self.decoder.resblocks = nn.ModuleList(
            PiperResidualBlock(block.convs1[0].in_channels, kernel_size, dilations, config.leaky_relu_slope)
            for block, (kernel_size, dilations) in zip(self.decoder.resblocks, kernels * len(config.upsample_rates))
        )
