"""The Kubernetes manifests in deploy/kubernetes/, without a cluster: valid against the schemas of
one Kubernetes version (kubernetes-validate, offline, strict: an unknown field fails), and
consistent with the project: its variables, the Secret's keys, the modules the containers run, the
balancer's configuration (assistant/runtime/load_balancer.py) and what the network policies admit.

kubernetes-validate needs a newer jsonschema than Rasa pins, so it is installed on first use in
var/kubernetes-validate, an environment of its own (as benchmarks/load.py does with Locust):
7 to 15 s and 140 MB, once.
"""

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import yaml

from assistant.runtime.load_balancer import (
    KUBERNETES_ERROR_FOLDER,
    KUBERNETES_MAX_REPLICAS,
    KUBERNETES_RASA_SRV,
    kubernetes_config,
)
from assistant.settings import KUBERNETES_BALANCER_FILE, PROJECT_ROOT, VAR_DIR, VARIABLES

KUBERNETES_VERSION = "1.30.0"  # the schemas every manifest must meet
# kubernetes-validate and everything it needs, pinned: a new release changes nothing unasked.
VALIDATOR_PACKAGES = (
    "kubernetes-validate==1.37.0",
    "jsonschema==4.26.0",
    "jsonschema-specifications==2025.9.1",
    "referencing==0.37.0",
    "rpds-py==0.30.0",
    "attrs==26.1.0",
    "PyYAML==6.0.4",
    "importlib_resources==7.1.0",
    "packaging==26.4",
    "typing_extensions==4.16.0",
)
VALIDATOR_ENV = VAR_DIR / "kubernetes-validate"
MANIFEST_DIR = PROJECT_ROOT / "deploy" / "kubernetes"
DOCKERFILE = PROJECT_ROOT / "deploy" / "Dockerfile"
SECRET_TEMPLATE = "secret.template.yaml"  # made by hand, never applied: the kustomization leaves it out
NAMESPACE, SECRET, SETTINGS, IMAGE = "wegwijzer", "wegwijzer-secrets", "wegwijzer-settings", "wegwijzer"
SERVER_MODULES = {
    "assistant.rasa_plugins.rasa_server",
    "assistant.rasa_plugins.action_server",
    "assistant.web",
    "assistant",  # python -m assistant prepare
}

# Run by the validator's own Python: one JSON line, how many resources it checked and what failed.
# A kind it has no schema for is a failure too (the library itself only warns).
VALIDATE = """
import functools, json, sys, yaml
from kubernetes_validate import utils
utils.schema_contents = functools.lru_cache(maxsize=None)(utils.schema_contents)  # the definitions once
checked, problems = 0, []
for name in sys.argv[2:]:
    for resource in utils.resources_from_file(name):
        checked += 1
        where = f"{name.split('/')[-1]} {resource.get('kind')}/{resource.get('metadata', {}).get('name')}"
        try:
            utils.validate(resource, sys.argv[1], strict=True)
        except utils.ValidationError as error:
            problems.append(f"{where}: {'.'.join(map(str, error.path))}: {error.message}")
        except (utils.SchemaNotFoundError, utils.InvalidSchemaError) as error:
            problems.append(f"{where}: {error.message}")
print(json.dumps({"checked": checked, "problems": problems}))
"""

Resource = Dict[str, Any]


def resources(path: Path) -> List[Resource]:
    return [item for item in yaml.safe_load_all(path.read_text(encoding="utf-8")) if item]


def manifest_files() -> List[Path]:
    return sorted(path for path in MANIFEST_DIR.glob("*.yaml") if path.name != "kustomization.yaml")


APPLIED = [item for path in manifest_files() if path.name != SECRET_TEMPLATE for item in resources(path)]
TEMPLATE = resources(MANIFEST_DIR / SECRET_TEMPLATE)[0]


def the(kind: str, name: str) -> Resource:
    found = [item for item in APPLIED if item["kind"] == kind and item["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def workloads() -> Iterator[Resource]:
    return (item for item in APPLIED if item["kind"] in ("Deployment", "Job"))


def pod_labels(workload: Resource) -> Dict[str, str]:
    return workload["spec"]["template"]["metadata"]["labels"]


def containers(workload: Resource) -> Iterator[Tuple[Resource, Resource]]:
    """(pod spec, container) for every container of a workload, init containers too."""
    pod = workload["spec"]["template"]["spec"]
    return ((pod, container) for container in pod.get("initContainers", []) + pod["containers"])


def every_container() -> Iterator[Tuple[Resource, Resource, Resource]]:
    return ((workload, pod, container) for workload in workloads() for pod, container in containers(workload))


def selects(selector: Resource, labels: Dict[str, str]) -> bool:
    """A label selector as Kubernetes applies it; only matchLabels is used here (an empty one selects all)."""
    assert set(selector) <= {"matchLabels"}, f"not understood by this test: {selector}"
    return all(labels.get(key) == value for key, value in selector.get("matchLabels", {}).items())


def container_ports(workload: Resource) -> set:
    """The ports its containers declare, by number and by name."""
    declared = [port for _, container in containers(workload) for port in container.get("ports", [])]
    return {port["containerPort"] for port in declared} | {port["name"] for port in declared if "name" in port}


def words(container: Resource) -> List[str]:
    """The command line a container runs; a `sh -c` script split as the shell splits it."""
    line = [*container.get("command", []), *container.get("args", [])]
    return shlex.split(line[2].replace(";", " ")) if line[:2] == ["sh", "-c"] else line


@pytest.fixture(scope="module")
def validator_python() -> Path:
    python = VALIDATOR_ENV / "bin" / "python"
    stamp = VALIDATOR_ENV / "packages.txt"
    wanted = "\n".join(VALIDATOR_PACKAGES)
    if not (python.exists() and stamp.exists() and stamp.read_text() == wanted):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VALIDATOR_ENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *VALIDATOR_PACKAGES]
        installed = subprocess.run(pip, capture_output=True, text=True)
        assert installed.returncode == 0, f"installing kubernetes-validate failed:\n{installed.stderr}"
        stamp.write_text(wanted)
    return python


def validate(python: Path, files: List[Path]) -> Dict[str, Any]:
    command = [str(python), "-c", VALIDATE, KUBERNETES_VERSION, *map(str, files)]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def test_every_manifest_meets_the_kubernetes_schema_strictly(validator_python):
    files = manifest_files()  # the Secret template and the generated balancer file too, when there
    result = validate(validator_python, files)
    assert result["problems"] == []
    assert result["checked"] == sum(len(resources(path)) for path in files)


def test_the_validator_refuses_an_unknown_field_and_an_unknown_kind(validator_python, tmp_path):
    """So that the test above cannot pass because the validator looked at nothing."""
    broken = tmp_path / "broken.yaml"
    deployment = {**the("Deployment", "wegwijzer-web"), "spec": {**the("Deployment", "wegwijzer-web")["spec"]}}
    deployment["spec"]["replica"] = 2
    unknown = {"apiVersion": "v1", "kind": "Servic", "metadata": {"name": "typo"}}
    broken.write_text(yaml.safe_dump_all([deployment, unknown]), encoding="utf-8")
    problems = validate(validator_python, [broken])["problems"]
    assert len(problems) == 2 and "'replica' was unexpected" in problems[0] and "Servic" in problems[1]


def test_the_kustomization_applies_every_manifest_but_the_secret_template():
    kustomization = yaml.safe_load((MANIFEST_DIR / "kustomization.yaml").read_text(encoding="utf-8"))
    present = {path.name for path in manifest_files()} - {SECRET_TEMPLATE}
    # The generated balancer configuration is listed before `./wegwijzer generate` first writes it.
    assert set(kustomization["resources"]) == present | {KUBERNETES_BALANCER_FILE.name}
    assert len(kustomization["resources"]) == len(set(kustomization["resources"]))
    assert kustomization["namespace"] == NAMESPACE
    assert [image["name"] for image in kustomization["images"]] == [IMAGE]
    # Also right with `kubectl apply -f` of one file.
    assert all(item["metadata"].get("namespace") == NAMESPACE for item in APPLIED if item["kind"] != "Namespace")


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")
@pytest.mark.skipif(not KUBERNETES_BALANCER_FILE.exists(), reason="./wegwijzer generate has not written it yet")
def test_kustomize_builds_the_manifests_with_the_registrys_image():
    built = subprocess.run(["kubectl", "kustomize", str(MANIFEST_DIR)], capture_output=True, text=True, timeout=60)
    assert built.returncode == 0, built.stderr
    output = [item for item in yaml.safe_load_all(built.stdout) if item]
    assert len(output) == len(APPLIED)
    images = {
        container["image"] for item in output if item["kind"] == "Deployment" for _, container in containers(item)
    }
    assert IMAGE not in images and "haproxy:2.6" in images


def test_every_variable_the_pods_get_is_one_of_the_settings():
    known = {variable.name for variable in VARIABLES}
    settings = set(the("ConfigMap", SETTINGS)["data"])
    assert settings <= known
    for workload, _, container in every_container():
        given = {variable["name"] for variable in container.get("env", [])}
        assert given <= known, workload["metadata"]["name"]
        assert all(source == {"configMapRef": {"name": SETTINGS}} for source in container.get("envFrom", []))
        if container.get("envFrom"):
            given |= settings
        # What the command line names ($WEGWIJZER_ALLOWED_ORIGINS) is there too.
        assert set(re.findall(r"\$\(?(\w+)", " ".join(words(container)))) <= given, workload["metadata"]["name"]


def test_the_rasa_server_gets_every_variable_its_endpoints_and_credentials_name():
    """Rasa expands ${...} in endpoints.yml itself: a missing one stops the server at start."""
    (_, rasa), *_ = containers(the("Deployment", "wegwijzer-rasa"))
    given = {variable["name"] for variable in rasa["env"]} | set(the("ConfigMap", SETTINGS)["data"])
    for name in ("endpoints.yml", "credentials.yml"):
        assert set(re.findall(r"\$\{(\w+)\}", (PROJECT_ROOT / name).read_text(encoding="utf-8"))) <= given, name


def test_every_secret_key_the_pods_read_is_in_the_template_and_the_template_holds_no_value():
    assert TEMPLATE["kind"] == "Secret" and TEMPLATE["metadata"]["name"] == SECRET and "data" not in TEMPLATE
    assert set(TEMPLATE["stringData"].values()) == {""}
    read = {
        (variable["valueFrom"]["secretKeyRef"]["name"], variable["valueFrom"]["secretKeyRef"]["key"])
        for _, _, container in every_container()
        for variable in container.get("env", [])
        if "secretKeyRef" in variable.get("valueFrom", {})
    }
    assert read == {(SECRET, key) for key in TEMPLATE["stringData"]}  # each key read, none unknown


def test_only_the_rasa_pods_reach_the_action_server():
    actions, rasa = pod_labels(the("Deployment", "wegwijzer-actions")), pod_labels(the("Deployment", "wegwijzer-rasa"))
    others = [pod_labels(workload) for workload in workloads() if pod_labels(workload) not in (actions, rasa)]
    policies = [item for item in APPLIED if item["kind"] == "NetworkPolicy"]
    # Policies add up: every one that selects the action pods counts.
    rules = [
        rule
        for policy in policies
        if selects(policy["spec"]["podSelector"], actions) and "Ingress" in policy["spec"]["policyTypes"]
        for rule in policy["spec"].get("ingress", [])
    ]
    assert rules, "no policy admits the Rasa pods"
    assert any(policy["spec"]["podSelector"] == {} and "ingress" not in policy["spec"] for policy in policies)
    for rule in rules:
        assert rule.get("ports") == [{"port": 5055, "protocol": "TCP"}]
        assert rule.get("from"), "a rule without `from` admits everyone"
        for peer in rule["from"]:
            assert set(peer) == {"podSelector"}, "another namespace or an address range"
            assert selects(peer["podSelector"], rasa)
            assert not any(selects(peer["podSelector"], labels) for labels in [actions, *others])


def test_the_policies_admit_only_ports_the_pods_listen_on():
    policies = [item for item in APPLIED if item["kind"] == "NetworkPolicy" and item["spec"]["podSelector"]]
    for workload in workloads():
        admitted = {
            port["port"]
            for policy in policies
            if selects(policy["spec"]["podSelector"], pod_labels(workload))
            for rule in policy["spec"]["ingress"]
            for port in rule["ports"]
        }
        assert admitted <= container_ports(workload), workload["metadata"]["name"]


def test_the_rasa_services_keep_a_conversation_on_one_server():
    assert the("Service", "wegwijzer-rasa")["spec"]["sessionAffinity"] == "ClientIP"
    # The balancer's DNS SRV name: _<port name>._<protocol>.<service>.<namespace>.svc...
    port_name, protocol, service, namespace = re.match(
        r"_(\w+)\._(\w+)\.([\w-]+)\.([\w-]+)\.svc", KUBERNETES_RASA_SRV
    ).groups()
    headless = the("Service", service)
    assert headless["spec"]["clusterIP"] == "None" and namespace == NAMESPACE
    assert {"name": port_name, "protocol": protocol.upper()}.items() <= headless["spec"]["ports"][0].items()
    autoscaler = the("HorizontalPodAutoscaler", "wegwijzer-rasa")["spec"]
    assert 2 <= autoscaler["minReplicas"] <= autoscaler["maxReplicas"] <= KUBERNETES_MAX_REPLICAS
    assert "replicas" not in the("Deployment", "wegwijzer-rasa")["spec"]  # the autoscaler's to set


def test_the_balancer_mounts_the_generated_configuration_where_haproxy_reads_it():
    balancer = the("Deployment", "wegwijzer-balancer")
    (pod, haproxy), *_ = containers(balancer)
    assert haproxy["image"] == "haproxy:2.6" and "command" not in haproxy  # the image's haproxy -f haproxy.cfg
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    mounts = [mount for mount in haproxy["volumeMounts"] if mount["mountPath"] == KUBERNETES_ERROR_FOLDER]
    assert len(mounts) == 1 and volumes[mounts[0]["name"]] == {
        "name": mounts[0]["name"],
        "configMap": {"name": "wegwijzer-balancer"},
    }
    assert int(re.search(r"bind \*:(\d+)", kubernetes_config()).group(1)) in container_ports(balancer)
    if KUBERNETES_BALANCER_FILE.exists():
        (config,) = resources(KUBERNETES_BALANCER_FILE)
        assert config["metadata"]["name"] == "wegwijzer-balancer" and "haproxy.cfg" in config["data"]


def test_services_ingress_and_budgets_find_their_pods_and_ports():
    services = {item["metadata"]["name"]: item for item in APPLIED if item["kind"] == "Service"}
    for name, service in services.items():
        (workload,) = [
            item for item in workloads() if selects({"matchLabels": service["spec"]["selector"]}, pod_labels(item))
        ]
        assert {port["targetPort"] for port in service["spec"]["ports"]} <= container_ports(workload), name
    for rule in the("Ingress", "wegwijzer")["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["port"]["name"] in {port["name"] for port in services[backend["name"]]["spec"]["ports"]}
    for budget in (item for item in APPLIED if item["kind"] == "PodDisruptionBudget"):
        assert len([item for item in workloads() if selects(budget["spec"]["selector"], pod_labels(item))]) == 1
    target = the("HorizontalPodAutoscaler", "wegwijzer-rasa")["spec"]["scaleTargetRef"]
    the(target["kind"], target["name"])


def test_every_container_has_probes_resources_and_runs_as_non_root_without_privileges():
    for workload, pod, container in every_container():
        name = f"{workload['metadata']['name']}/{container['name']}"
        if workload["kind"] == "Deployment":  # a Job's container runs to its end: nothing to probe
            for probe in ("readinessProbe", "livenessProbe"):
                handler = container[probe].get("httpGet") or container[probe]["tcpSocket"]
                assert handler["port"] in container_ports(workload), name
        for kind in ("requests", "limits"):
            assert set(container["resources"][kind]) == {"cpu", "memory"}, name
        security = {**pod["securityContext"], **container["securityContext"]}
        assert security["runAsNonRoot"] is True and security.get("runAsUser") != 0, name
        assert security["allowPrivilegeEscalation"] is False and security["readOnlyRootFilesystem"] is True, name
        assert security["capabilities"] == {"drop": ["ALL"]}, name
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert {"app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/part-of"} <= set(
            pod_labels(workload)
        ), name
    (_, rasa), *_ = containers(the("Deployment", "wegwijzer-rasa"))
    assert rasa["startupProbe"]["periodSeconds"] * rasa["startupProbe"]["failureThreshold"] >= 120  # slow start


def test_pods_scraped_by_prometheus_serve_metrics_with_the_token():
    for workload in workloads():
        annotations = workload["spec"]["template"]["metadata"].get("annotations", {})
        if annotations.get("prometheus.io/scrape") != "true":
            continue
        assert int(annotations["prometheus.io/port"]) in container_ports(workload)
        assert annotations["prometheus.io/path"] == "/metrics"
        given = {variable["name"] for _, container in containers(workload) for variable in container.get("env", [])}
        assert "WEGWIJZER_METRICS_TOKEN" in given  # without it /metrics answers 404
    assert (
        the("Deployment", "wegwijzer-rasa")["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"]
        == "true"
    )


def test_the_containers_run_modules_and_files_of_the_project_that_the_image_holds():
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    copied = {
        word.rstrip("/") for line in dockerfile.splitlines() if line.startswith("COPY ") for word in line.split()[1:-1]
    }
    user = re.search(r"^USER (\d+)", dockerfile, re.MULTILINE).group(1)
    run = set()
    for workload, pod, container in every_container():
        if container["image"] != IMAGE:
            continue
        line = words(container)
        (module,) = [line[index + 1] for index, word in enumerate(line) if word == "-m"]
        path = PROJECT_ROOT / module.replace(".", "/")
        assert path.with_suffix(".py").exists() or (path / "__main__.py").exists(), module
        assert module.split(".")[0] in copied, module
        for option in ("--credentials", "--endpoints", "--public"):
            if option in line:
                named = line[line.index(option) + 1]
                assert (PROJECT_ROOT / named).exists() and named.split("/")[0] in copied, named
        assert str(pod["securityContext"]["runAsUser"]) == user
        run.add(module)
    assert run == SERVER_MODULES
