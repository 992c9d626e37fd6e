namespace Federation.Gateway.Tests.Fixtures;

/// <summary>
/// Mutations change the static fixture data; tests comparing two gateways' answers must not see it change between
/// the two requests, so both run in this non-parallel collection.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class FixtureData
{
    public const string Collection = "Fixture data";
}
