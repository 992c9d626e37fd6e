using GraphQL.Federation;
using GraphQL.Types;

namespace Federation.Subgraph.GraphQL;

/// <summary>
/// An entity another subgraph owns, known here only by its key. The graph type parameter makes each entity's
/// references a CLR type of their own, so the <c>_Entity</c> union tells a User reference from a Product one.
/// </summary>
public sealed class EntityReference<TGraphType> where TGraphType : IGraphType
{
    public int Id { get; set; }
}

/// <summary>
/// An entity this subgraph extends but does not own: <c>@key(fields: "id")</c> and the id. When resolvable,
/// the key is all the subgraph needs, so <c>_entities</c> answers with the reference itself and the added
/// fields find their rows by the id.
/// </summary>
public abstract class EntityReferenceType<TSelf> : ObjectGraphType<EntityReference<TSelf>> where TSelf : EntityReferenceType<TSelf>
{
    protected EntityReferenceType(string name, bool resolvable = true)
    {
        Name = name;
        this.Key("id", resolvable);
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        if (resolvable)
            this.ResolveReference<EntityReference<TSelf>>((_, reference) => reference);
    }
}
