"""SageMaker-TuningEarlyStopping: tuning stops hopeless trials where it can.

Bayesian and Random searches take TrainingJobEarlyStoppingType=Auto when the algorithm
emits the objective every epoch (the catalog's `early_stopping`); without it every
trial runs to the end and the budget buys fewer useful trials. Where the strategy or
the algorithm cannot stop early, Auto is refused: it would promise what never happens.
"""

from __future__ import annotations

from collections.abc import Iterator

from infra.catalog.limits import EARLY_STOPPING_STRATEGIES
from infra.catalog.model import Algorithm
from infra.guardrails.rule import Finding, Rule
from infra.guardrails.rules.training_isolation import WHERE
from infra.guardrails.template import Template, TuningJob, algorithm_of_image, text


def _algorithm(job: TuningJob) -> Algorithm | None:
    definition = job.request.get("TrainingJobDefinition", {})
    image = definition.get("AlgorithmSpecification", {}).get("TrainingImage", "")
    return algorithm_of_image(text(image))


def check(template: Template) -> Iterator[Finding]:
    for job in template.tuning_jobs():
        config = job.request.get("HyperParameterTuningJobConfig", {})
        strategy = config.get("Strategy", "Bayesian")
        early_stopping = config.get("TrainingJobEarlyStoppingType", "Off")
        objective = config.get("HyperParameterTuningJobObjective", {}).get("MetricName", "")
        algorithm = _algorithm(job)
        metric = algorithm.tuning.metric(objective) if algorithm and algorithm.tuning else None
        emits_per_epoch = metric is not None and algorithm.tuning.stops_early(metric)  # type: ignore[union-attr]
        if strategy not in EARLY_STOPPING_STRATEGIES:
            if early_stopping == "Auto":
                yield Finding(
                    job.pipeline,
                    WHERE,
                    f"{job.where}: the {strategy} strategy does not take early stopping",
                )
        elif algorithm is not None and not emits_per_epoch:
            if early_stopping == "Auto":
                yield Finding(
                    job.pipeline,
                    WHERE,
                    f"{job.where}: {algorithm.name} does not emit {objective} per epoch, "
                    "so its trials cannot stop early",
                )
        elif early_stopping != "Auto":
            yield Finding(
                job.pipeline,
                WHERE,
                f"{job.where}: a {strategy} search without early stopping "
                f"(TrainingJobEarlyStoppingType is {early_stopping})",
            )


RULE = Rule(
    id="SageMaker-TuningEarlyStopping",
    explanation="Bayesian and Random tuning jobs of algorithms that emit the objective per "
    "epoch stop unpromising training jobs early; strategies (Grid, Hyperband) and "
    "algorithms that cannot do not ask for it.",
    check=check,
)
