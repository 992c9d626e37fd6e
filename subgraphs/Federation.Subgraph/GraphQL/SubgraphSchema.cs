using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Subgraph.GraphQL;

/// <summary>Contributes fields to the root <c>Query</c> type; one per entity (<c>ProductQueries</c>).</summary>
public interface IQueryFields
{
    void AddFields(ObjectGraphType query);
}

/// <summary>Contributes fields to the root <c>Mutation</c> type (<c>ProductMutations</c>).</summary>
public interface IMutationFields
{
    void AddFields(ObjectGraphType mutation);
}

/// <summary>Marks graph types that only federation reaches (entity stubs) so they are registered explicitly.</summary>
public interface IFederatedEntityStub;

public sealed class QueryType : ObjectGraphType
{
    public QueryType(IEnumerable<IQueryFields> contributors)
    {
        // Federation composition expects the root to be named exactly "Query".
        Name = "Query";
        foreach (var contributor in contributors)
            contributor.AddFields(this);
    }
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType(IEnumerable<IMutationFields> contributors)
    {
        Name = "Mutation";
        foreach (var contributor in contributors)
            contributor.AddFields(this);
    }
}

public sealed class SubgraphSchema : Schema
{
    public SubgraphSchema(IServiceProvider services, IEnumerable<IMutationFields> mutations, SubgraphTypes types)
        : base(services)
    {
        Query = services.GetRequiredService<QueryType>();
        if (mutations.Any())
            Mutation = services.GetRequiredService<MutationType>();
        foreach (var type in types.Explicit)
            RegisterType(type);
    }
}

/// <summary>Graph types that must be in the schema even though no field returns them.</summary>
public sealed class SubgraphTypes(IReadOnlyList<Type> explicitTypes)
{
    public IReadOnlyList<Type> Explicit { get; } = explicitTypes;
}
