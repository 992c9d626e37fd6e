using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.Planning;

public sealed partial class QueryPlanner
{
    private sealed partial class Session
    {
        /// <summary>
        /// A shared root field whose value type no single subgraph fully resolves (no key to jump with) is asked from
        /// several subgraphs, each for the sub-fields it can serve; the answers deep-merge.
        /// </summary>
        private IEnumerable<(string Graph, MergedField Part)> SplitRootField(
            List<string> candidates,
            Dictionary<string, FetchGroup> roots,
            FieldDef def,
            MergedField field)
        {
            var returnType = supergraph.Type(def.NamedType);
            var ordered = candidates.OrderByDescending(g => Score(g, returnType, field.Selections, 3, ProvidedBy(def, g))).ThenByDescending(roots.ContainsKey).ToList();
            var whole = ordered.Find(g => CanServe(g, returnType, field.Selections, 0, ProvidedBy(def, g)));
            if (whole is not null || returnType.Kind != TypeKind.Object || candidates.Count == 1)
            {
                yield return (whole ?? ordered[0], field);
                yield break;
            }

            var parts = new Dictionary<string, List<GraphQLField>>(StringComparer.Ordinal);
            foreach (var sub in collector.Collect(returnType.Name, field.Selections))
            {
                var graph = ordered.Find(g => CanServe(g, returnType, [Selection(sub.Nodes)], 0, ProvidedBy(def, g))) ?? ordered[0];
                if (!parts.TryGetValue(graph, out var nodes))
                {
                    nodes = [];
                    parts[graph] = nodes;
                }

                nodes.AddRange(sub.Nodes);
            }

            foreach (var (graph, nodes) in parts)
            {
                var part = new MergedField(field.ResponseKey, field.First);
                part.Selections.Add(Selection(nodes));
                yield return (graph, part);
            }
        }

        /// <summary>Whether a selection asks for anything only a concrete type can answer.</summary>
        private bool HasTypedFragments(IEnumerable<GraphQLSelectionSet> selections, string typeName) =>
            selections.Any(set => set.Selections.Any(selection => selection switch
            {
                GraphQLInlineFragment inline => (inline.TypeCondition is { } c && c.Type.Name.StringValue != typeName) || HasTypedFragments([inline.SelectionSet], typeName),
                GraphQLFragmentSpread => true,
                _ => false,
            }));

        private static MergedField Narrow(MergedField parent, MergedField child)
        {
            var part = new MergedField(parent.ResponseKey, parent.First);
            part.Nodes.AddRange(parent.Nodes);
            part.Selections.Add(Selection(child.Nodes));
            return part;
        }

        private static GraphQLSelectionSet Selection(IEnumerable<GraphQLField> nodes) => new([.. nodes.Cast<ASTNode>()]);

        /// <summary>Whether <paramref name="graph"/> can resolve a selection itself or reach every missing field through an entity key.</summary>
        private bool CanServe(string graph, TypeDef type, List<GraphQLSelectionSet> selections, int depth, Dictionary<string, List<GraphQLSelectionSet>>? provided = null)
        {
            if (!type.IsComposite || selections.Count == 0 || depth > 8)
            {
                return true;
            }

            var objectTypes = type.Kind == TypeKind.Object ? [type.Name] : supergraph.PossibleTypesIn(type.Name, graph);
            foreach (var objectType in objectTypes)
            {
                var owner = supergraph.Type(objectType);
                foreach (var f in collector.Collect(objectType, selections))
                {
                    if (f.Name.StartsWith("__", StringComparison.Ordinal) || !owner.Fields.TryGetValue(f.Name, out var fd))
                    {
                        continue;
                    }

                    if (ProvidedFor(provided, owner, f.Name) is { } nested)
                    {
                        if (!CanServe(graph, supergraph.Type(fd.NamedType), f.Selections, depth + 1, ProvidedMap(nested)))
                        {
                            return false;
                        }
                    }
                    else if (IsLocal(graph, owner, fd))
                    {
                        if (!CanServe(graph, supergraph.Type(fd.NamedType), f.Selections, depth + 1, ProvidedBy(fd, graph)))
                        {
                            return false;
                        }
                    }
                    else if (ChooseTarget(graph, owner, fd, null, provided) is null)
                    {
                        return false;
                    }
                }
            }

            return true;
        }


        private static Dictionary<string, List<GraphQLSelectionSet>>? ProvidedBy(FieldDef def, string graph) =>
            def.JoinIn(graph)?.Provides is { } provides ? ProvidedMap([ParseFieldSet(provides)]) : null;

        /// <summary>How much of a selection a subgraph can serve without further jumps; a cheap stand-in for plan cost.</summary>
        private int Score(string graph, TypeDef type, List<GraphQLSelectionSet> selections, int depth, Dictionary<string, List<GraphQLSelectionSet>>? provided = null)
        {
            if (!type.IsComposite || depth == 0 || selections.Count == 0)
            {
                return 0;
            }

            var score = 0;
            var objectTypes = type.Kind == TypeKind.Object ? [type.Name] : supergraph.PossibleTypesIn(type.Name, graph);
            foreach (var objectType in objectTypes)
            {
                var owner = supergraph.Type(objectType);
                foreach (var f in collector.Collect(objectType, selections))
                {
                    if (f.Name.StartsWith("__", StringComparison.Ordinal) || !owner.Fields.TryGetValue(f.Name, out var fd))
                    {
                        continue;
                    }

                    if (ProvidedFor(provided, owner, f.Name) is { } nested)
                    {
                        score += 1 + Score(graph, supergraph.Type(fd.NamedType), f.Selections, depth - 1, ProvidedMap(nested));
                    }
                    else if (IsLocal(graph, owner, fd))
                    {
                        score += 1 + Score(graph, supergraph.Type(fd.NamedType), f.Selections, depth - 1, ProvidedBy(fd, graph));
                    }
                }
            }

            return score;
        }

        /// <summary>Provided fields by name; fields under a typed fragment are keyed <c>Type.field</c>, valid only for that type.</summary>
        private static Dictionary<string, List<GraphQLSelectionSet>> ProvidedMap(IEnumerable<GraphQLSelectionSet> sets)
        {
            var map = new Dictionary<string, List<GraphQLSelectionSet>>(StringComparer.Ordinal);
            void Add(GraphQLSelectionSet set, string? condition)
            {
                foreach (var selection in set.Selections)
                {
                    switch (selection)
                    {
                        case GraphQLField f:
                            var key = condition is null ? f.Name.StringValue : condition + "." + f.Name.StringValue;
                            if (!map.TryGetValue(key, out var list))
                            {
                                list = [];
                                map[key] = list;
                            }

                            if (f.SelectionSet is not null)
                            {
                                list.Add(f.SelectionSet);
                            }

                            break;
                        case GraphQLInlineFragment inline:
                            Add(inline.SelectionSet, inline.TypeCondition?.Type.Name.StringValue ?? condition);
                            break;
                    }
                }
            }

            foreach (var set in sets)
            {
                Add(set, null);
            }

            return map;
        }

        private static List<GraphQLSelectionSet>? ProvidedFor(Dictionary<string, List<GraphQLSelectionSet>>? provided, TypeDef type, string field)
        {
            if (provided is null)
            {
                return null;
            }

            if (provided.TryGetValue(field, out var list) || provided.TryGetValue(type.Name + "." + field, out list))
            {
                return list;
            }

            foreach (var interfaceName in type.Interfaces)
            {
                if (provided.TryGetValue(interfaceName + "." + field, out list))
                {
                    return list;
                }
            }

            return null;
        }
    }
}
