"""Learning-rate decay (course 2, week 2, the 2021+ notebook).

    update_lr:          α = α₀ / (1 + decay_rate·epoch_num)
    schedule_lr_decay:  α = α₀ / (1 + decay_rate·⌊epoch_num / time_interval⌋)   (steps, not every epoch)

>>> update_lr(0.5, 2, 1), schedule_lr_decay(0.5, 100, 1)
(0.16666666666666666, 0.5)
"""

from __future__ import annotations

import math


def update_lr(learning_rate0, epoch_num, decay_rate):
    """α₀ / (1 + decay_rate·epoch_num)."""
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """α₀ / (1 + decay_rate·⌊epoch_num / time_interval⌋)."""
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))
