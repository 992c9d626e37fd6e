using Confluent.Kafka;
using Federation.Kafka;

namespace Infrastructure.Tests;

public sealed class KafkaNativeLibraryTests
{
    [Fact]
    public async Task EnsureLoaded_Should_LoadTheSasllessVariantOnce_When_CalledFromManyThreads()
    {
        // act
        var paths = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(KafkaNativeLibrary.EnsureLoaded)));

        // assert
        var path = Assert.Single(paths.Distinct());
        Assert.EndsWith("runtimes/linux-x64/native/centos8-librdkafka.so", path, StringComparison.Ordinal);
        Assert.True(Library.IsLoaded);
        Assert.StartsWith("2.", Library.VersionString, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureLoaded_Should_AllowConfluentClients_When_Loaded()
    {
        // arrange
        KafkaNativeLibrary.EnsureLoaded();

        // act
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = "127.0.0.1:1", EnableIdempotence = true }).Build();

        // assert
        Assert.Contains("producer", producer.Name, StringComparison.Ordinal);
    }
}
