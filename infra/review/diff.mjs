// The CDK's own diff engine (@aws-cdk/cloudformation-diff, what `cdk diff` uses) over
// pairs of templates, for infra/review (Python keeps matching, tables and Markdown).
//
// stdin:  [{"name": "dev/Xgboost", "old": "<template path or null>", "new": "<… or null>"}, …]
// stdout: [{"name", "resources": [...], "iam": {...}, "securityGroups": {...},
//           "permissionsBroadened": bool}, …] in the same order (see describe() below).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

process.env.FORCE_COLOR = "0"; // the engine's summaries are coloured with chalk
const require = createRequire(import.meta.url);
const { fullDiff } = require("@aws-cdk/cloudformation-diff");
const { loadAwsServiceSpecSync } = require("@aws-cdk/aws-service-spec");

let database;
function stateful(type) {
  // CloudFormation's registry marks the resource types that hold data.
  database ??= loadAwsServiceSpecSync();
  const found = database.lookup("resource", "cloudFormationType", "equals", type);
  return found.length > 0 && found[0].isStateful === true;
}

const read = (path) => (path ? JSON.parse(readFileSync(path, "utf8")) : {});

function resources(diff, oldTemplate, newTemplate) {
  const out = [];
  diff.resources.forEachDifference((logicalId, change) => {
    const type = change.newResourceType ?? change.oldResourceType;
    const before = oldTemplate.Resources?.[logicalId] ?? {};
    const after = newTemplate.Resources?.[logicalId] ?? {};
    out.push({
      logicalId,
      type,
      oldType: change.oldResourceType ?? null,
      impact: change.changeImpact,
      stateful: stateful(type),
      // What happens to the old resource's data: on removal its DeletionPolicy
      // decides, on replacement the UpdateReplacePolicy of the template deployed.
      deletionPolicy: before.DeletionPolicy ?? null,
      updateReplacePolicy: after.UpdateReplacePolicy ?? null,
      properties: Object.entries(change.propertyUpdates).map(([name, p]) => ({
        name,
        impact: p.changeImpact ?? null,
      })),
      other: Object.keys(change.otherChanges),
    });
  });
  return out.sort((a, b) => (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0));
}

function statements(collection, change) {
  return collection.map((s) => {
    const rendered = s.render();
    return {
      change,
      resource: rendered.resource,
      effect: rendered.effect,
      action: rendered.action,
      principal: rendered.principal,
      condition: rendered.condition,
      conditionJson: s.condition ?? null,
      principals: s.principals.values,
      principalsNegated: s.principals.not,
      negative: s.isNegativeStatement,
    };
  });
}

function rules(collection, change, direction) {
  return collection.map((r) => ({
    change,
    direction,
    group: r.groupId,
    protocol: r.describeProtocol(),
    peer: r.describePeer(),
    cidr: r.peer?.kind === "cidr-ip" ? r.peer.ip : null,
  }));
}

function describe({ name, old: oldPath, new: newPath }) {
  const oldTemplate = read(oldPath);
  const newTemplate = read(newPath);
  const diff = fullDiff(oldTemplate, newTemplate);
  const iam = diff.iamChanges;
  const sg = diff.securityGroupChanges;
  return {
    name,
    resources: resources(diff, oldTemplate, newTemplate),
    iam: {
      statements: [
        ...statements(iam.statements.additions, "+"),
        ...statements(iam.statements.removals, "-"),
      ],
      managedPolicies: [
        ...iam.managedPolicies.additions.map((m) => ({ change: "+", ...m._toJson() })),
        ...iam.managedPolicies.removals.map((m) => ({ change: "-", ...m._toJson() })),
      ],
    },
    securityGroups: [
      ...rules(sg.ingress.additions, "+", "ingress"),
      ...rules(sg.egress.additions, "+", "egress"),
      ...rules(sg.ingress.removals, "-", "ingress"),
      ...rules(sg.egress.removals, "-", "egress"),
    ],
    // Template sections other than resources that differ (outputs, parameters …).
    sections: ["outputs", "parameters", "conditions", "mappings"].filter(
      (section) => diff[section].differenceCount > 0,
    ),
    permissionsBroadened: diff.permissionsBroadened,
  };
}

const pairs = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(pairs.map(describe)));
