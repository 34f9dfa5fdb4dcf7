using Orleans.Segments.Cluster.Tests.Infrastructure;

namespace Orleans.Segments.Cluster.Tests;

/// <summary>
/// We have no Docker engine or Kubernetes here, so the deployment files are checked for what can be checked
/// without one: their shape, that every setting is one the server reads (and parses), and that the image is
/// built with the commands CI runs.
/// </summary>
public sealed class DeploymentTests
{
    private static readonly string Root = ServerBinary.RepositoryRoot;

    [Fact]
    public void ComposeRunsRedisTwoSilosAndAGatewayInOneCluster()
    {
        var services = Yaml.Documents(Path.Combine(Root, "docker-compose.yml")).Single().At("services").Map("services");

        Assert.Equal(["gateway", "redis", "silo1", "silo2"], services.Keys.Cast<string>().Order(StringComparer.Ordinal));
        var environments = new[] { "silo1", "silo2", "gateway" }.ToDictionary(s => s, s => Environment(services, s));
        Assert.Equal("silo", environments["silo1"]["Segments__Server__Role"]);
        Assert.Equal("silo", environments["silo2"]["Segments__Server__Role"]);
        Assert.Equal("gateway", environments["gateway"]["Segments__Server__Role"]);
        Assert.Single(environments.Values.Select(e => e["Segments__Redis__ConnectionString"]).Distinct());
        Assert.StartsWith("redis:6379", environments["gateway"]["Segments__Redis__ConnectionString"]);
        Assert.Single(environments.Values.Select(e => e["Segments__ClusterId"]).Distinct());
        Assert.Contains("--appendonly", services.At("redis").Map("redis").At("command").List("redis command").Cast<string>());

        foreach (string name in environments.Keys)
        {
            var service = services.At(name).Map(name);
            var build = service.At("build").Map($"{name} build");
            Assert.True(File.Exists(Path.Combine(Root, (string)build.At("context")!, (string)build.At("dockerfile")!)), $"{name}: the Dockerfile is missing.");
            Assert.Contains("redis", service.At("depends_on").Map($"{name} depends_on").Keys.Cast<string>());
        }

        Assert.Contains("silo1", services.At("gateway").Map("gateway").At("depends_on").Map("gateway depends_on").Keys.Cast<string>());
    }

    [Fact]
    public void EveryComposeSettingIsOneTheServerReadsAndIsCommented()
    {
        var services = Yaml.Documents(Path.Combine(Root, "docker-compose.yml")).Single().At("services").Map("services");
        var problems = new List<string>();
        foreach (string name in new[] { "silo1", "silo2", "gateway" })
        {
            foreach (var (variable, value) in Environment(services, name))
            {
                if (ServerSettings.Problem(variable, value) is { } problem) problems.Add($"{name}: {problem}");
            }
        }

        problems.AddRange(UncommentedSettings("docker-compose.yml"));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void TheAzureComposeVariantRunsAzuriteTwoSilosAndAGatewayWithSettingsTheServerReads()
    {
        var services = Yaml.Documents(Path.Combine(Root, "docker-compose.azure.yml")).Single().At("services").Map("services");

        Assert.Equal(["azurite", "gateway", "silo1", "silo2"], services.Keys.Cast<string>().Order(StringComparer.Ordinal));
        var environments = new[] { "silo1", "silo2", "gateway" }.ToDictionary(s => s, s => Environment(services, s));
        Assert.Equal("gateway", environments["gateway"]["Segments__Server__Role"]);
        Assert.Single(environments.Values.Select(e => e["Segments__AzureStorage__ConnectionString"]).Distinct());
        Assert.Contains("BlobEndpoint=http://azurite:10000/", environments["gateway"]["Segments__AzureStorage__ConnectionString"]);
        Assert.All(environments.Values, e => Assert.DoesNotContain(e.Keys, k => k.StartsWith("Segments__Redis__", StringComparison.Ordinal)));
        var problems = environments.SelectMany(e => e.Value.Select(p => ServerSettings.Problem(p.Key, p.Value) is { } problem ? $"{e.Key}: {problem}" : null)).OfType<string>().ToList();
        problems.AddRange(UncommentedSettings("docker-compose.azure.yml"));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void TheKubernetesAzureOverlayRemovesRedisAndPointsSilosAndGatewayAtTheAccount()
    {
        string folder = Path.Combine(Root, "infra", "k8s", "azure");
        var kustomization = Yaml.Documents(Path.Combine(folder, "kustomization.yaml")).Single();
        Assert.All(kustomization.At("resources").List("resources").Cast<string>().Where(r => r != "../"), r => Assert.True(File.Exists(Path.Combine(folder, r)), $"{r} is missing."));
        var patches = Yaml.Documents(Path.Combine(folder, "storage.yaml")).ToList();
        Assert.Contains(patches, p => (string)p.At("kind")! == "StatefulSet" && (string)p.At("$patch")! == "delete");
        foreach (string name in new[] { "segments-silo", "segments-gateway" })
        {
            var env = patches.Single(p => (string)p.At("kind")! == "Deployment" && (string)p.At("metadata").Map("metadata").At("name")! == name)
                .At("spec").Map("spec").At("template").Map("template").At("spec").Map("spec").At("containers").List("containers")[0].Map("container")
                .At("env").List("env").Select(e => e.Map("env entry")).ToList();
            Assert.Contains(env, e => (string)e.At("name")! == "Segments__Redis__ConnectionString" && (string)e.At("$patch")! == "delete");
            Assert.Contains(env, e => (string)e.At("name")! == "Segments__AzureStorage__ConnectionString");
            Assert.All(env, e => Assert.Null(ServerSettings.Problem((string)e.At("name")!, null)));
        }
    }

    [Fact]
    public void KubernetesManifestsRunSilosWithOrleansKubernetesHostingAndGatewaysWithSettingsTheServerReads()
    {
        var documents = Directory.GetFiles(Path.Combine(Root, "infra", "k8s"), "*.yaml").SelectMany(Yaml.Documents).ToList();
        var kinds = documents.Select(d => (string)d.At("kind")!).ToList();
        foreach (string kind in new[] { "Namespace", "Secret", "ServiceAccount", "Role", "RoleBinding", "StatefulSet", "Deployment", "Service", "PodDisruptionBudget", "Kustomization" })
        {
            Assert.Contains(kind, kinds);
        }

        var deployments = documents.Where(d => (string)d.At("kind")! == "Deployment")
            .ToDictionary(d => (string)d.At("metadata").Map("metadata").At("name")!, d => d);
        var silo = PodEnvironment(deployments["segments-silo"]);
        var gateway = PodEnvironment(deployments["segments-gateway"]);
        Assert.Equal("silo", silo["Segments__Server__Role"]);
        Assert.Equal("true", silo["Segments__Server__Kubernetes"]);
        Assert.Equal("gateway", gateway["Segments__Server__Role"]);
        Assert.Equal(silo["Segments__ClusterId"], gateway["Segments__ClusterId"]);
        var labels = deployments["segments-silo"].At("spec").Map("spec").At("template").Map("template").At("metadata").Map("metadata").At("labels").Map("labels");
        Assert.Equal("orleans-segments", labels.At("orleans/serviceId"));
        Assert.Equal(silo["Segments__ClusterId"], labels.At("orleans/clusterId"));

        var problems = silo.Concat(gateway).Select(p => ServerSettings.Problem(p.Key, p.Value)).OfType<string>().ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        var kustomized = (documents.Single(d => (string)d.At("kind")! == "Kustomization").At("resources")).List("resources").Cast<string>();
        Assert.All(kustomized, file => Assert.True(File.Exists(Path.Combine(Root, "infra", "k8s", file)), $"{file} is listed but missing."));
    }

    [Fact]
    public void DockerfileBuildsWithTheCommandCiRuns()
    {
        string dockerfile = File.ReadAllText(Path.Combine(Root, "infra", "Dockerfile"));
        string ci = File.ReadAllText(Path.Combine(Root, ".ci", "run"));
        const string build = "dotnet build Orleans.Segments.sln -c Release";

        Assert.Contains(build, dockerfile);
        Assert.Contains(build, ci);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Orleans.Segments.Server.dll\"]", dockerfile);
    }

    [Fact]
    public void SettingsCheckCatchesAMisspeltSetting()
    {
        Assert.Null(ServerSettings.Problem("Segments__Server__Role", "gateway"));
        Assert.Null(ServerSettings.Problem("Segments__Apps__demo__Lifecycle__AtRiskAfter", "7.00:00:00"));
        Assert.NotNull(ServerSettings.Problem("Segments__Server__Roles", "gateway"));
        Assert.NotNull(ServerSettings.Problem("Segments__Server__Role", "gatway"));
        Assert.NotNull(ServerSettings.Problem("Segments__Redis__ConectionString", "redis:6379"));
    }

    /// <summary>A setting directly under another one of the same comment (no blank or other line between).</summary>
    /// <summary>Every <c>Segments__</c> setting of a compose file without a comment saying what it is for (on it, above it, or above its group).</summary>
    private static IEnumerable<string> UncommentedSettings(string file)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, file));
        for (int i = 0; i < lines.Length; i++)
        {
            bool setting = lines[i].TrimStart().StartsWith("Segments__", StringComparison.Ordinal);
            bool commented = lines[i].Contains(" # ", StringComparison.Ordinal) || (i > 0 && lines[i - 1].TrimStart().StartsWith('#')) ||
                             (i > 0 && lines[i - 1].TrimStart().StartsWith("Segments__", StringComparison.Ordinal) && SameGroup(lines, i));
            if (setting && !commented) yield return $"line {i + 1} has no comment: {lines[i].Trim()}";
        }
    }

    private static bool SameGroup(string[] lines, int i)
    {
        for (int j = i - 1; j >= 0; j--)
        {
            string line = lines[j].TrimStart();
            if (line.StartsWith('#')) return true;
            if (!line.StartsWith("Segments__", StringComparison.Ordinal)) return false;
        }

        return false;
    }

    private static Dictionary<string, string> Environment(Dictionary<object, object> services, string name) =>
        services.At(name).Map(name).At("environment").Map($"{name} environment").ToDictionary(p => (string)p.Key, p => (string)p.Value);

    private static Dictionary<string, string?> PodEnvironment(Dictionary<object, object> deployment)
    {
        var container = deployment.At("spec").Map("spec").At("template").Map("template").At("spec").Map("pod spec")
            .At("containers").List("containers")[0].Map("container");
        return container.At("env").List("env").Select(e => e.Map("env entry"))
            .ToDictionary(e => (string)e.At("name")!, e => e.At("value") as string);
    }
}
