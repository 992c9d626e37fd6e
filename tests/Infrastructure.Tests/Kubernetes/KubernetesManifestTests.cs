using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Federation.Testing;

namespace Infrastructure.Tests.Kubernetes;

/// <summary>deploy/: every overlay renders, validates against the Kubernetes API schemas and runs the services safely.</summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string[] Subgraphs = [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "subgraphs.json")))
        .RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];

    private static readonly string[] ExposedServices = ["gateway", "web"];

    // Kinds that no compiled schema covers; CustomResources_Should_... checks the fields of these that deploy/ relies on.
    private static readonly string[] OperatorGroups = ["kafka.strimzi.io/", "postgresql.cnpg.io/"];

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Overlay_Should_RenderObjectsValidAgainstTheKubernetesSchemas_When_BuiltWithKustomize(string overlay)
    {
        // act
        var rendered = await Kustomize.RenderAsync(overlay);

        // assert
        Assert.True(rendered.ExitCode == 0 && rendered.Invalid.Count == 0, $"exit {rendered.ExitCode}\n{rendered.Errors}\n{string.Join('\n', rendered.Invalid)}");
        Assert.True(rendered.Objects.Count > 50, $"only {rendered.Objects.Count} objects rendered");
        Assert.All(rendered.Unchecked, id => Assert.Contains(OperatorGroups, group => id.StartsWith(group, StringComparison.Ordinal)));
        Assert.Empty(rendered.OfKind("Secret"));
    }

    [Fact]
    public async Task Validator_Should_NameTheField_When_AnObjectBreaksItsSchema()
    {
        // arrange
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: broken }
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      ports: [{ containerPort: "eighty" }]
            """;

        // act
        var rendered = await Kustomize.ValidateAsync(yaml);

        // assert
        Assert.Equal(1, rendered.ExitCode);
        var failure = Assert.Single(rendered.Invalid);
        Assert.Contains("apps/v1/Deployment/broken", failure, StringComparison.Ordinal);
        Assert.Contains("/spec/template/spec/containers/0/ports/0/containerPort must be integer", failure, StringComparison.Ordinal);
        Assert.Contains("/spec must have required property selector", failure, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task ServiceDeployments_Should_HaveProbesResourcesBudgetAutoscalerAndDrain_When_Rendered(string overlay)
    {
        // arrange
        var rendered = await Kustomize.RenderAsync(overlay);

        foreach (var name in Subgraphs.Concat(ExposedServices))
        {
            // act
            var deployment = rendered.Single("Deployment", name);
            var pod = deployment.At("spec", "template", "spec");
            var podLabels = deployment.Labels("spec", "template", "metadata", "labels");
            var container = pod.Items("containers").First();

            // assert
            foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
            {
                Assert.True(container.At(probe).ValueKind == JsonValueKind.Object, $"{name} has no {probe}");
            }

            if (Subgraphs.Contains(name))
            {
                Assert.Equal("/health/ready", container.Text("readinessProbe", "httpGet", "path"));
                Assert.Equal("/health/live", container.Text("livenessProbe", "httpGet", "path"));
            }

            foreach (var resource in new[] { "requests/cpu", "requests/memory", "limits/memory" })
            {
                Assert.True(container.Text(["resources", .. resource.Split('/')]) is { Length: > 0 }, $"{name} sets no resources.{resource.Replace('/', '.')}");
            }

            // The kubelet kills the container at the grace period, counted from before preStop: the wait and the host's
            // own drain (DOTNET_SHUTDOWNTIMEOUTSECONDS) must both fit, or in-flight work is cut off.
            var preStop = string.Join(' ', container.Items("lifecycle", "preStop", "exec", "command").Select(c => c.GetString()));
            var wait = SleepSeconds().Match(preStop);
            var drain = container.Items("env").FirstOrDefault(e => e.Text("name") == "DOTNET_SHUTDOWNTIMEOUTSECONDS").Text("value") ?? "0";
            var grace = pod.At("terminationGracePeriodSeconds").GetInt32();
            Assert.True(wait.Success, $"{name}'s preStop does not wait for the Service to drop the pod: {preStop}");
            Assert.True(grace > int.Parse(wait.Groups[1].Value, CultureInfo.InvariantCulture) + int.Parse(drain, CultureInfo.InvariantCulture), $"{name}: a grace period of {grace} s does not cover preStop ({preStop}) and a drain of {drain} s");
            Assert.True(pod.Items("topologySpreadConstraints").Any(), $"{name} has no topology spread constraints");
            Assert.True(pod.At("securityContext", "runAsNonRoot").ValueKind == JsonValueKind.True, $"{name} may run as root");
            Assert.True(container.At("securityContext", "allowPrivilegeEscalation").ValueKind == JsonValueKind.False, $"{name} allows privilege escalation");

            var budget = rendered.OfKind("PodDisruptionBudget").Where(p => Selects(p.Labels("spec", "selector", "matchLabels"), podLabels)).ToList();
            Assert.True(budget.Count == 1, $"{name} is covered by {budget.Count} PodDisruptionBudgets, not 1");
            var autoscaler = rendered.OfKind("HorizontalPodAutoscaler").Where(h => h.Text("spec", "scaleTargetRef", "kind") == "Deployment" && h.Text("spec", "scaleTargetRef", "name") == name).ToList();
            Assert.True(autoscaler.Count == 1, $"{name} is scaled by {autoscaler.Count} HorizontalPodAutoscalers, not 1");
            Assert.True(autoscaler[0].At("spec", "minReplicas").GetInt32() >= 1, $"{name}'s autoscaler has no minReplicas");
        }
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Subgraphs_Should_BeReachableOnlyFromTheGatewayAndPrometheus_When_Rendered(string overlay)
    {
        // act
        var rendered = await Kustomize.RenderAsync(overlay);

        // assert
        foreach (var service in rendered.OfKind("Service"))
        {
            var type = service.Text("spec", "type") ?? "ClusterIP";
            Assert.True(type == "ClusterIP" || ExposedServices.Contains(service.Text("metadata", "name")), $"Service {service.Text("metadata", "name")} is of type {type}");
        }

        var backends = rendered.OfKind("Ingress").SelectMany(i => i.Items("spec", "rules")).SelectMany(r => r.Items("http", "paths"))
            .Select(p => p.Text("backend", "service", "name")).ToList();
        Assert.All(backends, backend => Assert.Contains(backend, ExposedServices));
        Assert.DoesNotContain(rendered.OfKind("Ingress"), i => i.At("spec", "defaultBackend").ValueKind != JsonValueKind.Undefined);

        var gatewayLabels = rendered.Single("Deployment", "gateway").Labels("spec", "template", "metadata", "labels");
        foreach (var name in Subgraphs)
        {
            var podLabels = rendered.Single("Deployment", name).Labels("spec", "template", "metadata", "labels");
            var policies = rendered.OfKind("NetworkPolicy").Where(p => Selects(p.Labels("spec", "podSelector", "matchLabels"), podLabels)).ToList();
            Assert.True(policies.Count > 0, $"no NetworkPolicy selects {name}");
            var peers = policies.SelectMany(p => p.Items("spec", "ingress")).SelectMany(rule =>
                rule.Items("from").Any() ? rule.Items("from") : throw new Xunit.Sdk.XunitException($"{name} admits ingress from anywhere")).ToList();
            Assert.All(peers, peer => Assert.True(
                peer.At("podSelector").ValueKind == JsonValueKind.Object
                    ? peer.At("namespaceSelector").ValueKind == JsonValueKind.Undefined && Selects(peer.Labels("podSelector", "matchLabels"), gatewayLabels) && peer.Labels("podSelector", "matchLabels").Count > 0
                    : peer.Labels("namespaceSelector", "matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == "monitoring",
                $"{name} admits {peer}"));
        }
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Gateway_Should_ReachEverySubgraphAndReadTheCommittedSupergraph_When_Rendered(string overlay)
    {
        // arrange
        var rendered = await Kustomize.RenderAsync(overlay);
        var deployment = rendered.Single("Deployment", "gateway");
        var pod = deployment.At("spec", "template", "spec");
        var gateway = pod.Items("containers").Single(c => c.Text("name") == "gateway");
        var env = gateway.Items("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));

        // act
        var command = gateway.Items("command").Select(c => c.GetString()!).ToList();
        var supergraphPath = command[command.IndexOf("--supergraph") + 1];
        var supergraphVolume = gateway.Items("volumeMounts").Single(m => m.Text("mountPath") == Path.GetDirectoryName(supergraphPath)).Text("name");
        var syncMounts = pod.Items("initContainers").Where(c => c.Text("restartPolicy") == "Always")
            .SelectMany(c => c.Items("volumeMounts")).Where(m => m.Text("name") == supergraphVolume && m.At("readOnly").ValueKind != JsonValueKind.True);
        var configMapName = pod.Items("volumes").Single(v => v.Text("configMap", "name") is not null).Text("configMap", "name")!;

        // assert
        foreach (var name in Subgraphs)
        {
            Assert.Equal($"http://{name}:8080/graphql", env.GetValueOrDefault($"Subgraphs__{name}__Url"));
            Assert.Equal("http", rendered.Single("Service", name).Items("spec", "ports").Single().Text("name"));
        }

        Assert.Equal($"http://accounts:8080/.well-known/openid-configuration", env["Authentication__MetadataAddress"]);
        Assert.Single(syncMounts);
        Assert.Equal(
            File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "supergraph.graphql")),
            rendered.Single("ConfigMap", configMapName).Text("data", Path.GetFileName(supergraphPath)));
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task CustomResources_Should_CarryWhatTheOperatorsAndServicesNeed_When_Rendered(string overlay)
    {
        // arrange
        var rendered = await Kustomize.RenderAsync(overlay);
        var kafka = Assert.Single(rendered.OfKind("Kafka"));
        var kafkaName = kafka.Text("metadata", "name");
        var pool = Assert.Single(rendered.OfKind("KafkaNodePool"));
        var brokers = pool.At("spec", "replicas").GetInt32();
        var listener = kafka.Items("spec", "kafka", "listeners").Single(l => l.At("tls").ValueKind == JsonValueKind.False);

        // assert: Strimzi runs KRaft only with node pools, and a pool belongs to the cluster its label names.
        Assert.Equal("kafka.strimzi.io/v1beta2", kafka.Text("apiVersion"));
        Assert.Equal("enabled", kafka.Text("metadata", "annotations", "strimzi.io/kraft"));
        Assert.Equal("enabled", kafka.Text("metadata", "annotations", "strimzi.io/node-pools"));
        Assert.Equal(kafkaName, pool.Text("metadata", "labels", "strimzi.io/cluster"));
        Assert.Equal(["broker", "controller"], pool.Items("spec", "roles").Select(r => r.GetString()).Order());
        Assert.True(pool.Text("spec", "storage", "type") is "jbod" or "persistent-claim" or "ephemeral");
        Assert.True(kafka.At("spec", "kafka", "config", "default.replication.factor").GetInt32() <= brokers);
        Assert.True(kafka.At("spec", "entityOperator", "topicOperator").ValueKind == JsonValueKind.Object, "KafkaTopics need the topic operator");
        foreach (var topic in rendered.OfKind("KafkaTopic"))
        {
            Assert.Equal(kafkaName, topic.Text("metadata", "labels", "strimzi.io/cluster"));
            Assert.True(topic.At("spec", "replicas").GetInt32() <= brokers, $"{topic.Text("metadata", "name")} wants more replicas than brokers");
            Assert.True(topic.At("spec", "config", "min.insync.replicas").GetInt32() <= topic.At("spec", "replicas").GetInt32());
        }

        // assert: each subgraph reaches the Kafka listener and its own CloudNativePG cluster's primary with its app user.
        foreach (var name in Subgraphs)
        {
            var container = rendered.Single("Deployment", name).At("spec", "template", "spec").Items("containers").First();
            var env = container.Items("env").ToDictionary(e => e.Text("name")!);
            var project = char.ToUpperInvariant(name[0]) + name[1..];
            var connection = env[$"ConnectionStrings__{project}"].Text("value")!.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var cluster = rendered.Single("Cluster", connection["Host"][..^"-rw".Length]);

            Assert.Equal($"{kafkaName}-kafka-bootstrap:{listener.At("port").GetInt32()}", env["Kafka__BootstrapServers"].Text("value"));
            Assert.EndsWith("-rw", connection["Host"], StringComparison.Ordinal);
            Assert.Equal("postgresql.cnpg.io/v1", cluster.Text("apiVersion"));
            Assert.Equal(connection["Database"], cluster.Text("spec", "bootstrap", "initdb", "database"));
            Assert.Equal($"{cluster.Text("metadata", "name")}-app", env["DB_PASSWORD"].Text("valueFrom", "secretKeyRef", "name"));
            Assert.Equal("$(DB_PASSWORD)", connection["Password"]);
            var order = container.Items("env").Select(e => e.Text("name")).ToList();
            Assert.True(order.IndexOf("DB_PASSWORD") < order.IndexOf($"ConnectionStrings__{project}"), $"{name}: $(DB_PASSWORD) expands only after DB_PASSWORD is defined");
            Assert.True(cluster.At("spec", "instances").GetInt32() >= 1 && cluster.Text("spec", "storage", "size") is { Length: > 0 }, $"{name}-db has no instances or storage");
        }
    }

    [GeneratedRegex(@"\bsleep (\d+)")]
    private static partial Regex SleepSeconds();

    private static bool Selects(Dictionary<string, string> selector, Dictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
