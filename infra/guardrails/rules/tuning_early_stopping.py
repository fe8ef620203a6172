"""SageMaker-TuningEarlyStopping: tuning stops hopeless trials where the strategy allows it.

Bayesian and Random searches take TrainingJobEarlyStoppingType=Auto; without it
every trial runs to the end and the budget buys fewer useful trials.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.limits import EARLY_STOPPING_STRATEGIES
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.rules.training_isolation import WHERE
from infra.guardrails.template import Template


def check(template: Template) -> Iterator[Finding]:
    for job in template.tuning_jobs():
        config = job.request.get("HyperParameterTuningJobConfig", {})
        strategy = config.get("Strategy", "Bayesian")
        early_stopping = config.get("TrainingJobEarlyStoppingType", "Off")
        if strategy in EARLY_STOPPING_STRATEGIES and early_stopping != "Auto":
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: a {strategy} search without early stopping "
                f"(TrainingJobEarlyStoppingType is {early_stopping})",
            )
        elif strategy not in EARLY_STOPPING_STRATEGIES and early_stopping == "Auto":
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: the {strategy} strategy does not take early stopping",
            )


RULE = Rule(
    id="SageMaker-TuningEarlyStopping",
    explanation="Bayesian and Random tuning jobs stop unpromising training jobs early; "
    "strategies that cannot (Grid, Hyperband) do not ask for it.",
    check=check,
)
