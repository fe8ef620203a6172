"""Model lifecycle: which model each endpoint serves, and whether it exists yet.

An endpoint serves, in order of precedence:

1. a pinned model (`model_package_arn` or `model_uri` in the config), or
2. the newest *approved* package of a model package group (the registry), as last
   recorded by `python -m infra models refresh CONFIG` in `cdk.context.json`
   (the file where the CDK records its own lookups; synth never calls AWS).

With neither, nothing that needs a model is planned: no model, endpoint config,
endpoint, monitoring schedule, API or stream scorer. The plan says what it waits
for (`Waiting`), and the summary table prints it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from infra.plan.issues import Issues

T = TypeVar("T")
CONTEXT_PREFIX = "sagemaker-approved-model"
_PACKAGE_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):sagemaker:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"model-package/(?P<group>[A-Za-z0-9](-*[A-Za-z0-9]){0,62})/(?P<version>\d+)$"
)


@dataclass(frozen=True, slots=True)
class PackageArn:
    """The parts of a versioned model package ARN."""

    partition: str
    region: str
    account: str
    group: str
    version: int

    @classmethod
    def parse(cls, arn: str) -> PackageArn | None:
        match = _PACKAGE_ARN.match(arn)
        if match is None:
            return None
        return cls(
            partition=match["partition"],
            region=match["region"],
            account=match["account"],
            group=match["group"],
            version=int(match["version"]),
        )


@dataclass(frozen=True, slots=True)
class Registry:
    """A model package group whose newest approved package endpoints follow.

    `stage` is the stage whose training pipelines register into it; `account` and
    `region` are that stage's (None for an environment-agnostic stage, whose record
    is for whatever account and region the refreshing credentials point to).
    """

    stage: str
    group: str
    account: str | None
    region: str | None
    bootstrap_qualifier: str | None = None  # the source account's, for its lookup role

    @property
    def context_key(self) -> str:
        """Where `models refresh` records the group's newest approved package."""
        if self.account and self.region:
            where = f"account={self.account}:region={self.region}"
        else:
            where = "environment=agnostic"
        return f"{CONTEXT_PREFIX}:{where}:group={self.group}"


@dataclass(frozen=True, slots=True)
class ApprovedPackage:
    """A recorded lookup: the newest approved package of a group, and its artifact."""

    arn: str
    version: int
    model_data_url: str | None

    def to_context(self) -> dict[str, object]:
        return {"arn": self.arn, "version": self.version, "modelDataUrl": self.model_data_url}

    @classmethod
    def from_context(cls, value: object) -> ApprovedPackage | None:
        """The record, or None if it is not one `models refresh` writes."""
        if not isinstance(value, Mapping):
            return None
        arn, url = value.get("arn"), value.get("modelDataUrl")
        parsed = PackageArn.parse(arn) if isinstance(arn, str) else None
        if parsed is None or value.get("version") != parsed.version:
            return None
        if url is not None and not (isinstance(url, str) and url.startswith("s3://")):
            return None
        return cls(arn=str(arn), version=parsed.version, model_data_url=url)


@dataclass(frozen=True, slots=True)
class Waiting:
    """Not deployed yet, for `reason` (e.g. no approved model).

    `planned` is what will be deployed once the wait is over: fully planned and
    checked now, so a mistake is reported before the model exists, but rendered by
    nothing until then.
    """

    reason: str
    planned: object = None

    def of(self, planned: object) -> Waiting:
        """The same wait, for another planned capability."""
        return Waiting(self.reason, planned)


def eventually(value: T) -> T:
    """What a capability will be once its wait is over (the value itself if none)."""
    return value.planned if isinstance(value, Waiting) and value.planned is not None else value  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class ModelSource:
    """What one variant serves: a model package, or an S3 artifact in the image.

    `registry` and `version` say where a package (or, for a custom server, the
    artifact) came from when it was followed rather than pinned.
    """

    model_uri: str | None = None
    model_package_arn: str | None = None
    registry: Registry | None = None
    version: int | None = None
    # A package shared by another account: its artifact (ModelDataUrl), which the
    # model role reads from that account's bucket with that account's key.
    shared_artifact_uri: str | None = None

    @property
    def shared_from(self) -> tuple[str, str] | None:
        """The account and region of a shared package's registry."""
        if self.shared_artifact_uri is None or self.registry is None:
            return None
        assert self.registry.account
        assert self.registry.region
        return self.registry.account, self.registry.region

    @property
    def label(self) -> str:
        """How the summary and the review name it."""
        if self.registry is not None:
            return f"{self.registry.group} v{self.version}"
        return self.model_package_arn or self.model_uri or "?"


def waiting_for(registry: Registry | None, server_of: str | None = None) -> Waiting:
    if registry is None:
        return Waiting(
            f"waiting for endpoint.model_uri: no pipeline here trains {server_of}'s models"
        )
    return Waiting(f"waiting for an approved model in {registry.group}")


def recorded(
    registry: Registry, records: Mapping[str, object], issues: Issues
) -> ApprovedPackage | None:
    """The registry's recorded package; a record that is not one is a config issue."""
    key = registry.context_key
    if key not in records:
        return None
    package = ApprovedPackage.from_context(records[key])
    arn = PackageArn.parse(package.arn) if package else None
    if arn is None or arn.group != registry.group:
        message = f"not a package of {registry.group}"
    elif registry.region and (arn.account, arn.region) != (registry.account, registry.region):
        message = f"not in {registry.stage}'s account and region"
    else:
        return package
    issues.add(
        key,
        records[key],
        f"{message}: run `python -m infra models refresh CONFIG` to record it again "
        "(cdk.context.json)",
    )
    return None


def follow(
    registry: Registry | None,
    records: Mapping[str, object],
    issues: Issues,
    *,
    as_artifact: bool,
    server_of: str | None = None,
    account: str | None = None,
) -> ModelSource | Waiting:
    """The registry's recorded package, or what the endpoint waits for.

    `as_artifact`: serve the package's artifact in our own image (custom servers)
    instead of the package itself.
    """
    if registry is None:
        return waiting_for(None, server_of)
    package = recorded(registry, records, issues)
    if package is None or (as_artifact and package.model_data_url is None):
        return waiting_for(registry)
    return ModelSource(
        model_uri=package.model_data_url if as_artifact else None,
        model_package_arn=None if as_artifact else package.arn,
        registry=registry,
        version=package.version,
        shared_artifact_uri=package.model_data_url
        if account and registry.account and account != registry.account
        else None,
    )


@dataclass(frozen=True, slots=True)
class ModelChooser:
    """Picks each endpoint's model for one algorithm (or custom server) in one stage."""

    registry: Registry | None
    records: Mapping[str, object]
    account: str | None  # the serving stage's
    region: str | None
    as_artifact: bool = False  # custom servers: the artifact in our image
    server_of: str | None = None  # custom servers: whose models they serve

    def choose(
        self, model_uri: str | None, package_arn: str | None, path: str, issues: Issues
    ) -> ModelSource | Waiting:
        """A pinned model if the config names one, else the registry's approved one."""
        if model_uri and package_arn:
            issues.add(
                f"{path}.model_package_arn",
                package_arn,
                "give model_uri or model_package_arn, not both",
            )
        if package_arn:
            self._check_pinned_package(package_arn, f"{path}.model_package_arn", issues)
            return ModelSource(model_package_arn=package_arn)
        if model_uri:
            return ModelSource(model_uri=model_uri)
        return follow(
            self.registry,
            self.records,
            issues,
            as_artifact=self.as_artifact,
            server_of=self.server_of,
            account=self.account,
        )

    def _check_pinned_package(self, arn: str, path: str, issues: Issues) -> None:
        parsed = PackageArn.parse(arn)
        if parsed is None:
            issues.add(
                path, arn, "must name a versioned package (…:model-package/<group>/<version>)"
            )
        elif self.region and parsed.region != self.region:
            # CreateModel refuses a package of another region ("ARN should be scoped to
            # correct region"), and its artifact must be in the model's region
            # (API ContainerDefinition, ModelPackageContainerDefinition).
            issues.add(
                path,
                arn,
                f"is in {parsed.region}; SageMaker creates models only from packages in "
                f"the stage's region ({self.region})",
            )
        elif self.account and parsed.account != self.account:
            # A pin names no artifact this stage could be granted, nor the key that
            # encrypts it: follow the other stage's registry (models_from) instead.
            issues.add(
                path,
                arn,
                f"is in account {parsed.account}, not this stage's ({self.account}); serve "
                "another stage's packages with models_from, which shares their artifacts "
                "and key",
            )


@dataclass(frozen=True, slots=True)
class ModelAccess:
    """What a model role reads beyond its own prefixes: S3 objects the config or a
    shared registry names, and the keys of the accounts that share packages."""

    objects: tuple[str, ...] = ()  # s3:// URIs
    shared_keys: tuple[tuple[str, str], ...] = ()  # (account, region)

    @classmethod
    def of(cls, sources: Iterable[ModelSource]) -> ModelAccess:
        sources = tuple(sources)
        objects = {u for s in sources for u in (s.model_uri, s.shared_artifact_uri) if u}
        keys = {s.shared_from for s in sources if s.shared_from}
        return cls(objects=tuple(sorted(objects)), shared_keys=tuple(sorted(keys)))
