using Federation.Testing.Subgraphs;

namespace Notifications.Tests;

/// <summary>The notifications subgraph as a process on its own PostgreSQL database, shared by the notifications tests.</summary>
public sealed class NotificationsFixture() : SubgraphFixture("Notifications")
{
    public SubgraphProcess Notifications => Subgraph;
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "notifications";
}
