using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.Planning;

public sealed partial class QueryPlanner
{
    private sealed partial class Session(Supergraph supergraph, FieldCollector collector)
    {
        private readonly List<FetchGroup> _touched = [];
        private int _aliasCounter;

        public List<FetchGroup> Groups { get; } = [];

        public void PlanRoot(string rootTypeName, GraphQLOperationDefinition operation)
        {
            var rootType = supergraph.Type(rootTypeName);
            var isMutation = operation.Operation == OperationType.Mutation;
            var roots = new Dictionary<string, FetchGroup>(StringComparer.Ordinal);
            FetchGroup? last = null;
            foreach (var field in collector.Collect(rootTypeName, [operation.SelectionSet]))
            {
                if (field.Name.StartsWith("__", StringComparison.Ordinal))
                {
                    continue;
                }

                var def = FieldOf(rootType, field.Name);
                var candidates = supergraph.Subgraphs.Keys.Where(g => def.ResolvableIn(rootType, g)).ToList();
                if (candidates.Count == 0)
                {
                    throw new PlanningException($"No subgraph resolves {rootTypeName}.{field.Name}.");
                }

                FetchGroup group;
                if (isMutation)
                {
                    // Mutation root fields run one after another; only neighbours on the same subgraph share a request.
                    if (last is null || !candidates.Contains(last.Graph))
                    {
                        last = NewGroup(Best(candidates, def, field), false, [], (last?.Sequence ?? -1) + 1, null);
                    }

                    group = last;
                }
                else
                {
                    foreach (var (graph, part) in SplitRootField(candidates, roots, def, field))
                    {
                        if (!roots.TryGetValue(graph, out var root))
                        {
                            root = NewGroup(graph, false, [], 0, null);
                            roots[graph] = root;
                        }

                        PlanLocal(new Context(root, root.Selection, [], null, 0), rootType, def, part);
                    }

                    continue;
                }

                PlanLocal(new Context(group, group.Selection, [], null, 0), rootType, def, field);
            }
        }


        private FetchGroup NewGroup(string graph, bool isEntity, string[] path, int sequence, FetchGroup? parent)
        {
            var group = new FetchGroup(Groups.Count, graph, isEntity, path, sequence, parent);
            Groups.Add(group);
            return group;
        }

        private void PlanFields(Context ctx, TypeDef type, List<MergedField> fields)
        {
            if (ctx.Depth > MaxDepth)
            {
                throw new PlanningException($"The operation is nested too deeply to plan at {string.Join('.', ctx.Path)}.");
            }

            foreach (var field in fields)
            {
                if (field.Name == "__typename")
                {
                    if (!type.IsInterfaceObjectIn(ctx.Group.Graph))
                    {
                        ctx.Node.Field("__typename", "__typename", null);
                    }

                    continue;
                }

                var def = FieldOf(type, field.Name);
                if (IsLocal(ctx, type, def))
                {
                    PlanLocal(ctx, type, def, field);
                }
                else
                {
                    PlanJump(ctx, type, def, field);
                }
            }
        }

        private bool IsLocal(Context ctx, TypeDef type, FieldDef def) =>
            ProvidedFor(ctx.Provided, type, def.Name) is not null
            || (IsLocal(ctx.Group.Graph, type, def, ctx.EntityRoot) && (def.JoinIn(ctx.Group.Graph)?.Requires is null || ctx.RequiresSatisfied == def.Name));

        /// <summary>
        /// Key fields count as local even when marked external in a Federation 1 extension (@external on keys is only a
        /// declaration there) or when the object came through <c>_entities</c> (the representation carries them).
        /// Otherwise a subgraph that marks its own key field @external cannot resolve it.
        /// </summary>
        private static bool IsLocal(string graph, TypeDef type, FieldDef def, bool fromRepresentation = false) =>
            def.ResolvableIn(type, graph)
            || (type.KeysIn(graph).Any(k => (fromRepresentation || k.Extension) && KeyFieldNames(k.Key!).Contains(def.Name)) && def.Joins.Exists(j => j.Graph == graph));

        private static HashSet<string> KeyFieldNames(string key) =>
            [.. ParseFieldSet(key).Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue)];

        private void PlanLocal(Context ctx, TypeDef type, FieldDef def, MergedField field)
        {
            var builder = ctx.Node.Field(field.ResponseKey, field.Name, field.Arguments);
            var returnType = supergraph.Type(def.NamedType);
            if (!returnType.IsComposite)
            {
                return;
            }

            var provided = ProvidedFor(ctx.Provided, type, def.Name) is { } nested
                ? ProvidedMap(nested)
                : def.JoinIn(ctx.Group.Graph)?.Provides is { } provides ? ProvidedMap([ParseFieldSet(provides)]) : null;
            var path = new List<string>(ctx.Path) { field.ResponseKey };
            path.AddRange(Enumerable.Repeat("@", TypeRefs.ListDepth(def.Type)));
            var child = new Context(ctx.Group, builder.Selection, [.. path], provided, ctx.Depth + 1, new ParentLink(ctx, type, def, field))
            {
                Candidates = provided is null ? CandidatesFor(ctx, type, def) : null,
            };
            var subgraphType = def.JoinIn(ctx.Group.Graph)?.Type is { } typeInGraph ? supergraph.Types.GetValueOrDefault(TypeName(typeInGraph)) : null;
            PlanSelection(child, returnType, field.Selections, subgraphType);
        }

        /// <summary>
        /// Subgraphs that could serve <paramref name="def"/> on this path: those already able to serve the parent, plus
        /// every subgraph an entity parent can jump to by key. Union members are safe only if all of them know them.
        /// </summary>
        private IReadOnlySet<string> CandidatesFor(Context ctx, TypeDef type, FieldDef def)
        {
            var reach = new HashSet<string>(ctx.Candidates ?? new HashSet<string> { ctx.Group.Graph }, StringComparer.Ordinal);
            reach.UnionWith(ctx.Path.Length == 0 && ctx.Candidates is null && !ctx.Group.IsEntity
                ? type.Graphs
                : type.Joins.Where(j => j.Key is not null && j.Resolvable).Select(j => j.Graph));

            var result = reach.Where(g => def.ResolvableIn(type, g)).ToHashSet(StringComparer.Ordinal);
            result.Add(ctx.Group.Graph);
            return result;
        }

        private static string TypeName(string typeReference) => typeReference.Trim('[', ']', '!');

        private void PlanSelection(Context ctx, TypeDef type, List<GraphQLSelectionSet> selections, TypeDef? subgraphType = null)
        {
            if (type.Kind == TypeKind.Object)
            {
                PlanFields(ctx, type, collector.Collect(type.Name, selections));
                return;
            }

            // The subgraph declares this field with a narrower type (join__field type:); fragments must fit that type.
            if (subgraphType is { Kind: TypeKind.Object } && subgraphType != type)
            {
                ctx.Node.Field("__typename", "__typename", null);
                PlanFields(ctx, subgraphType, collector.Collect(subgraphType.Name, selections));
                return;
            }

            if (subgraphType is { IsAbstract: true } && subgraphType != type)
            {
                type = subgraphType;
            }

            if (type.IsInterfaceObjectIn(ctx.Group.Graph))
            {
                var interfaceFields = collector.Collect(type.Name, selections);
                if (supergraph.PossibleTypes(type.Name).Count == 0
                    || (!interfaceFields.Exists(f => f.Name == "__typename") && !HasTypedFragments(selections, type.Name)))
                {
                    // No implementation is known anywhere: the interface object's own fields are all there is.
                    ctx.Node.Field("__typename", "__typename", null);
                    PlanFields(ctx, type, interfaceFields);
                }
                else
                {
                    PlanThroughInterfaceObject(ctx, type, selections);
                }

                return;
            }

            ctx.Node.Field("__typename", "__typename", null);
            if (type.Kind == TypeKind.Interface && supergraph.PossibleTypes(type.Name).Count == 0)
            {
                // No object type implements the interface: only its own fields can be asked, or the plan fails loudly.
                PlanFields(ctx, type, collector.Collect(type.Name, selections));
                return;
            }

            var fieldTypes = new Dictionary<string, string>(StringComparer.Ordinal);
            var possible = supergraph.PossibleTypesIn(type.Name, ctx.Group.Graph);
            if (type.Kind == TypeKind.Union && ctx.Candidates is { Count: > 1 } candidates)
            {
                possible = [.. possible.Where(t => candidates.All(g => supergraph.PossibleTypesIn(type.Name, g).Contains(t)))];
            }

            foreach (var objectType in possible)
            {
                var fields = collector.Collect(objectType, selections);
                if (fields.TrueForAll(f => f.Name == "__typename"))
                {
                    continue;
                }

                // Sibling fragments may not select one response key with different types (OverlappingFieldsCanBeMerged).
                var owner = supergraph.Type(objectType);
                for (var i = 0; i < fields.Count; i++)
                {
                    if (!owner.Fields.TryGetValue(fields[i].Name, out var fd))
                    {
                        continue;
                    }

                    var printed = fd.JoinIn(ctx.Group.Graph)?.Type ?? TypeRefs.Print(fd.Type);
                    if (fieldTypes.TryGetValue(fields[i].ResponseKey, out var existing) && existing != printed)
                    {
                        fields[i] = fields[i].WithResponseKey(InternalAliases.Temporary(_aliasCounter++, fields[i].ResponseKey));
                    }
                    else
                    {
                        fieldTypes.TryAdd(fields[i].ResponseKey, printed);
                    }
                }

                var fragment = ctx.Node.Fragment(objectType);
                PlanFields(ctx with { Node = fragment }, supergraph.Type(objectType), fields);
            }
        }

        /// <summary>
        /// The current subgraph only knows the interface as an @interfaceObject, so it cannot tell the concrete type:
        /// ask a subgraph that has the real interface for <c>__typename</c> and the rest of the selection.
        /// </summary>
        private void PlanThroughInterfaceObject(Context ctx, TypeDef type, List<GraphQLSelectionSet> selections)
        {
            var target = supergraph.Subgraphs.Keys.FirstOrDefault(g =>
                g != ctx.Group.Graph && !type.IsInterfaceObjectIn(g) && type.ResolvableKeyIn(g) is not null)
                ?? throw new PlanningException($"No subgraph can resolve the concrete type of {type.Name}.");
            var key = ParseFieldSet(type.ResolvableKeyIn(target)!.Key!);
            ctx.Node.Field("__typename", "__typename", null);
            var mark = _touched.Count;
            PlanFields(ctx, type, collector.Collect(type.Name, [key]));
            var child = ChildGroup(ctx, target, mark);
            child.AddRepresentation(type.Name, type.Name, key);
            var fragment = child.Selection.Fragment(type.Name);
            PlanSelection(new Context(child, fragment, ctx.Path, null, ctx.Depth + 1), type, selections);
        }


        private static FieldDef FieldOf(TypeDef type, string name) =>
            type.Fields.TryGetValue(name, out var def)
                ? def
                : throw new PlanningException($"Cannot query field \"{name}\" on type \"{type.Name}\".");
    }
}
