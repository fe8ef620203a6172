"""Pull-request review: what a change does to the synthesized app, as Markdown.

`python -m infra.review --baseline BASE_ASSEMBLY [ASSEMBLY]` compares two cloud
assemblies (e.g. main's and the branch's `cdk.out`) stack by stack.
"""
