namespace Messaging.Tests;

/// <summary>Tests that start probe processes run one after another: 2 cores are shared with the services under test.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection : ICollectionFixture<MessagingFixture>
{
    public const string Name = "probe processes";
}
