"""The right answers: the engine's gd, minibatches, momentum, adam and lr_decay, in the course's signatures."""

from shapecheck.engine import adam, gd, lr_decay, minibatches, momentum

FUNCTIONS = {
    "update_parameters_with_gd": gd.update_parameters_with_gd,
    "random_mini_batches": minibatches.random_mini_batches,
    "initialize_velocity": momentum.initialize_velocity,
    "update_parameters_with_momentum": momentum.update_parameters_with_momentum,
    "initialize_adam": adam.initialize_adam,
    "update_parameters_with_adam": adam.update_parameters_with_adam,
    "update_lr": lr_decay.update_lr,
    "schedule_lr_decay": lr_decay.schedule_lr_decay,
}
