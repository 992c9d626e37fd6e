using System.Globalization;
using System.Text.Json;
using Federation.Testing;
using Federation.Testing.Fixtures;
using Federation.Testing.Processes;
using Federation.Testing.Servers;

namespace Infrastructure.Tests;

public sealed class KafkaMockClusterTests(InfrastructureFixture fixture) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task ConsumerGroup_Should_ResumeAfterCommittedOffsets_When_AnotherProcessTakesOver()
    {
        // arrange
        var bootstrap = fixture.Kafka.BootstrapServers;
        var topic = $"resume-{Guid.NewGuid():N}";
        var group = $"group-{Guid.NewGuid():N}";
        var produced = await KafkaProbeRunner.ProduceAsync(bootstrap, topic, 12, "m");
        Assert.True(produced.ExitCode == 0, produced.Tail);

        // act
        var first = await KafkaProbeRunner.ConsumeAsync(bootstrap, topic, group, max: 5);
        var second = await KafkaProbeRunner.ConsumeAsync(bootstrap, topic, group);
        var third = await KafkaProbeRunner.ConsumeAsync(bootstrap, topic, group);

        // assert
        Assert.True(first.ExitCode == 0, first.Tail);
        Assert.True(second.ExitCode == 0, second.Tail);
        Assert.True(third.ExitCode == 0, third.Tail);
        var firstValues = first.Messages("consumed").Select(message => message.Value).ToList();
        var secondValues = second.Messages("consumed").Select(message => message.Value).ToList();
        Assert.Equal(5, firstValues.Count);
        Assert.Empty(firstValues.Intersect(secondValues));
        Assert.Equal(
            Enumerable.Range(0, 12).Select(i => $"m-{i}").Order(),
            firstValues.Concat(secondValues).Order());
        Assert.Empty(third.Messages("consumed"));
    }

    [Fact]
    public async Task Producer_Should_AutoCreateTopicWithFourPartitions_When_TopicIsUnknown()
    {
        // arrange
        var topic = $"auto-{Guid.NewGuid():N}";

        // act
        var produced = await KafkaProbeRunner.ProduceAsync(fixture.Kafka.BootstrapServers, topic, 20, "a");

        // assert
        Assert.True(produced.ExitCode == 0, produced.Tail);
        var partitions = produced.Messages("delivered").Select(message => int.Parse(message.Position.Split(':')[0], CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(20, produced.Messages("delivered").Count);
        Assert.Subset(new HashSet<int> { 0, 1, 2, 3 }, partitions);
    }

    [Fact]
    public async Task StartAsync_Should_CreateTopicsUpFront_When_TopicsAreGiven()
    {
        // arrange
        await using var cluster = await KafkaMockCluster.StartAsync(brokers: 3, topics: [("orders.order.v1", 2)]);

        // act
        var produced = await KafkaProbeRunner.ProduceAsync(cluster.BootstrapServers, "orders.order.v1", 10, "o");

        // assert
        Assert.True(produced.ExitCode == 0, produced.Tail);
        Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
        Assert.All(produced.Messages("delivered"), message => Assert.Matches("^[01]:", message.Position));
    }

    [Fact]
    public async Task KafkaMock_Should_CreateTheCommittedTopicListUpFront_When_GivenTheTopicsFile()
    {
        // arrange: deploy/topics.json, as `./federation up` passes it (six partitions per domain topic, one per DLQ)
        await using var host = ChildProcess.Start(
            "kafka-mock topic list",
            KafkaMockCluster.DotnetHost(),
            [Path.Combine(AppContext.BaseDirectory, "Federation.KafkaMock.dll"), "--topics-file", Path.Combine(RepositoryPaths.Root, "deploy", "topics.json"), "--exit-on-stdin-eof"]);
        var bootstrap = await host.WaitForLineAsync(line => !line.IsError, TimeSpan.FromSeconds(30));
        using var list = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "topics.json")));
        var expected = list.RootElement.GetProperty("topics").EnumerateArray().ToDictionary(topic => topic.GetProperty("name").GetString()!, topic => topic.GetProperty("partitions").GetInt32());

        // act
        var topics = await KafkaProbeRunner.TopicsAsync(bootstrap);

        // assert
        Assert.Equal(22, expected.Count);
        Assert.Equal(expected.OrderBy(t => t.Key, StringComparer.Ordinal), topics.OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task KafkaMock_Should_ServeAFixedPort_When_PortIsGiven()
    {
        // arrange
        var port = FreePort.Next();
        await using var host = ChildProcess.Start(
            "kafka-mock fixed port",
            KafkaMockCluster.DotnetHost(),
            [Path.Combine(AppContext.BaseDirectory, "Federation.KafkaMock.dll"), "--port", port.ToString(CultureInfo.InvariantCulture), "--exit-on-stdin-eof"]);
        var bootstrap = await host.WaitForLineAsync(line => !line.IsError, TimeSpan.FromSeconds(30));

        // act
        var produced = await KafkaProbeRunner.ProduceAsync(bootstrap, "fixed", 3, "f");
        var consumed = await KafkaProbeRunner.ConsumeAsync(bootstrap, "fixed", "fixed-group");
        host.CloseStandardInput();
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(10));

        // assert
        Assert.Equal($"127.0.0.1:{port}", bootstrap);
        Assert.True(produced.ExitCode == 0, produced.Tail);
        Assert.True(consumed.ExitCode == 0, consumed.Tail + "\n" + host.OutputTail());
        Assert.Equal(["f-0", "f-1", "f-2"], consumed.Messages("consumed").Select(message => message.Value).Order());
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task KafkaMock_Should_KeepServing_When_ASignalTheRuntimeHandlesLandsOnItsBrokerThread()
    {
        // arrange
        await using var cluster = await KafkaMockCluster.StartAsync();
        var brokerThread = Directory.EnumerateDirectories($"/proc/{cluster.Process.Id.ToString(CultureInfo.InvariantCulture)}/task")
            .Single(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == "rdk:mock");
        var tid = int.Parse(Path.GetFileName(brokerThread), CultureInfo.InvariantCulture);

        // act: kill() aimed at a thread id hands the signal to that thread when it does not block it, which is what the
        // kernel may pick for the SIGCONT that ends a SIGSTOP; the runtime's SIGCONT handler then interrupts its poll()
        Signals.Continue(tid);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var produced = await KafkaProbeRunner.ProduceAsync(cluster.BootstrapServers, "after-signal", 3, "s");

        // assert
        Assert.True(Directory.Exists(brokerThread), $"the mock cluster thread ended after the signal\n{cluster.Process.OutputTail()}");
        Assert.True(produced.ExitCode == 0, produced.Tail + "\n" + cluster.Process.OutputTail());
        Assert.Equal(3, produced.Messages("delivered").Count);
        Assert.DoesNotContain(cluster.Process.StandardErrorLines, line => line.Contains("failed to poll", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--brokers", "0")]
    [InlineData("--topic", "orders:none")]
    [InlineData("--unknown", "1")]
    [InlineData("--topics-file", "/nonexistent/topics.json")]
    public async Task KafkaMock_Should_ExitWithUsage_When_OptionIsInvalid(string option, string value)
    {
        // arrange
        await using var host = ChildProcess.Start(
            "kafka-mock bad option",
            KafkaMockCluster.DotnetHost(),
            [Path.Combine(AppContext.BaseDirectory, "Federation.KafkaMock.dll"), option, value]);

        // act
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(20));

        // assert
        Assert.Equal(2, exitCode);
        Assert.Empty(host.StandardOutputLines);
        Assert.Contains(host.StandardErrorLines, line => line.Contains("--brokers N", StringComparison.Ordinal));
    }
}
