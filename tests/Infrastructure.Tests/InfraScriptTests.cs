using System.Globalization;
using Federation.Testing;
using Federation.Testing.Processes;
using Federation.Testing.Servers;

namespace Infrastructure.Tests;

/// <summary>tools/infra/lib.sh, as the ./federation script uses it: start, start again, stop, stop again.</summary>
public sealed class InfraScriptTests
{
    private static readonly string LibraryPath = Path.Combine(RepositoryPaths.Root, "tools", "infra", "lib.sh");

    [Fact]
    public async Task LibSh_Should_StartEachServerOnceAndLeaveNoProcess_When_StartedAndStoppedTwice()
    {
        // arrange
        var folder = TestDirectories.Create("libsh");
        var (postgresPort, redisPort, kafkaPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var script = $"""
            set -euo pipefail
            source '{LibraryPath}'
            infra_postgres_start '{folder}/pg' {postgresPort}
            infra_postgres_start '{folder}/pg' {postgresPort}
            echo "pg-pid $(head -n 1 '{folder}/pg/postmaster.pid')"
            infra_postgres_createdb {postgresPort} catalog
            infra_postgres_createdb {postgresPort} catalog
            "$INFRA_PG_BIN/psql" -h 127.0.0.1 -p {postgresPort} -U postgres -d catalog -tAc 'SELECT current_database()'
            infra_redis_start '{folder}/redis' {redisPort}
            infra_redis_start '{folder}/redis' {redisPort}
            echo "redis-pid $(cat '{folder}/redis/redis.pid')"
            echo "kafka $(infra_kafka_start '{folder}/kafka' {kafkaPort})"
            echo "kafka again $(infra_kafka_start '{folder}/kafka' {kafkaPort})"
            echo "kafka-pid $(cat '{folder}/kafka/kafka.pid')"
            for round in 1 2; do
              infra_kafka_stop '{folder}/kafka'
              infra_redis_stop '{folder}/redis'
              infra_postgres_stop '{folder}/pg'
            done
            echo stopped
            """;

        try
        {
            // act
            await using var bash = ChildProcess.Start(
                "lib.sh",
                "/bin/bash",
                ["-c", script],
                new ChildProcessOptions { Environment = new Dictionary<string, string?> { ["INFRA_KAFKA_MOCK_DLL"] = Path.Combine(AppContext.BaseDirectory, "Federation.KafkaMock.dll") } });
            var exitCode = await bash.WaitForExitAsync(TimeSpan.FromSeconds(90));
            var lines = bash.StandardOutputLines;

            // assert
            Assert.True(exitCode == 0, bash.OutputTail());
            Assert.Equal(
                [$"Host=127.0.0.1;Port={postgresPort};Username=postgres;Database=catalog", $"Host=127.0.0.1;Port={postgresPort};Username=postgres;Database=catalog", "catalog"],
                lines.Where(line => line.StartsWith("Host=", StringComparison.Ordinal) || line == "catalog"));
            Assert.Equal(2, lines.Count(line => line == $"127.0.0.1:{redisPort}"));
            Assert.Contains($"kafka 127.0.0.1:{kafkaPort}", lines);
            Assert.Contains($"kafka again 127.0.0.1:{kafkaPort}", lines);
            Assert.Equal("stopped", lines[^1]);
            foreach (var name in new[] { "pg-pid", "redis-pid", "kafka-pid" })
            {
                var pid = int.Parse(lines.Single(line => line.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
                Assert.False(ProcessState.IsRunning(pid), $"{name} {pid} is still running");
            }
        }
        finally
        {
            TestDirectories.Delete(folder);
        }
    }
}
