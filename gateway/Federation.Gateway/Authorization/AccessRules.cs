using System.Collections.Concurrent;
using Federation.Gateway.Schema;

namespace Federation.Gateway.Authorization;

/// <summary>
/// The effective requirement of each type and field of one supergraph, as Apollo Router reads the authorization
/// directives: a field needs its own requirement and that of the type it returns; a field or type condition on an
/// interface or union also needs what each of its possible object types asks for, so selecting through an abstract
/// type never reveals what a concrete type protects.
/// </summary>
public sealed class AccessRules(Supergraph supergraph)
{
    private readonly ConcurrentDictionary<string, AccessRequirement> _types = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Type, string Field), AccessRequirement> _fields = new();

    /// <summary>Whether any type or field of the supergraph carries a requirement; when not, authorization has nothing to do.</summary>
    public bool Any { get; } = supergraph.Types.Values.Any(t => !t.Access.IsEmpty || t.Fields.Values.Any(f => !f.Access.IsEmpty));

    public AccessRequirement Type(TypeDef type) => _types.GetOrAdd(type.Name, _ =>
    {
        var requirement = type.Access;
        if (type.IsAbstract)
        {
            foreach (var possible in supergraph.PossibleTypes(type.Name))
            {
                requirement = requirement.And(supergraph.Type(possible).Access);
            }
        }

        return requirement;
    });

    public AccessRequirement Field(TypeDef parent, FieldDef field) => _fields.GetOrAdd((parent.Name, field.Name), _ =>
    {
        var requirement = field.Access;
        if (parent.IsAbstract)
        {
            foreach (var possible in supergraph.PossibleTypes(parent.Name))
            {
                if (supergraph.Type(possible).Fields.TryGetValue(field.Name, out var implementation))
                {
                    requirement = requirement.And(implementation.Access);
                }
            }
        }

        return supergraph.Types.TryGetValue(field.NamedType, out var returned) ? requirement.And(Type(returned)) : requirement;
    });
}
