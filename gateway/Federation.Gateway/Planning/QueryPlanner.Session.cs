using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.Planning;

public sealed partial class QueryPlanner
{
    private sealed class Session(Supergraph supergraph, FieldCollector collector)
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
            || (IsLocal(ctx.Group.Graph, type, def) && (def.JoinIn(ctx.Group.Graph)?.Requires is null || ctx.RequiresSatisfied == def.Name));

        /// <summary>Key fields count as local even when marked external: a subgraph always knows its entities' keys.</summary>
        private static bool IsLocal(string graph, TypeDef type, FieldDef def) =>
            def.ResolvableIn(type, graph)
            || (type.KeysIn(graph).Any(k => KeyFieldNames(k.Key!).Contains(def.Name)) && def.Joins.Exists(j => j.Graph == graph));

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
            var child = new Context(ctx.Group, builder.Selection, [.. path], provided, ctx.Depth + 1, new ParentLink(ctx, type, def, field));
            var subgraphType = def.JoinIn(ctx.Group.Graph)?.Type is { } typeInGraph ? supergraph.Types.GetValueOrDefault(TypeName(typeInGraph)) : null;
            PlanSelection(child, returnType, field.Selections, subgraphType);
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
            var fieldTypes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var objectType in supergraph.PossibleTypesIn(type.Name, ctx.Group.Graph))
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

        private void PlanJump(Context ctx, TypeDef type, FieldDef def, MergedField field)
        {
            var choice = ChooseTarget(ctx.Group.Graph, type, def, field, ctx.Provided);
            if (choice is null && ctx.Parent is { } parent && ChooseTarget(parent.Context.Group.Graph, parent.Type, parent.Field, Narrow(parent.Selection, field)) is not null)
            {
                // A value type the other subgraph has no key for: ask that subgraph for the parent field instead.
                PlanJump(parent.Context, parent.Type, parent.Field, Narrow(parent.Selection, field));
                return;
            }

            var (target, entityType, keyText) = choice
                ?? throw new PlanningException($"No subgraph can resolve {type.Name}.{field.Name} from {supergraph.GraphName(ctx.Group.Graph)}.");
            var key = ParseFieldSet(keyText);
            ctx.Node.Field("__typename", "__typename", null);

            var mark = _touched.Count;
            PlanFields(ctx with { Depth = ctx.Depth + 1 }, type, collector.Collect(type.Name, [key]));
            GraphQLSelectionSet? requires = null;
            if (entityType.Fields.GetValueOrDefault(def.Name)?.JoinIn(target)?.Requires is { } requiresText)
            {
                requires = ParseFieldSet(requiresText);
                var required = collector.Collect(type.Name, [requires]).Select(f => InternalAliases.ForFieldSetField(f.First) is { } alias ? f.WithResponseKey(alias) : f).ToList();
                PlanFields(ctx with { Depth = ctx.Depth + 1 }, type, required);
            }

            var child = ChildGroup(ctx, target, mark, requires is null ? null : g => g.ConflictsWith(type.Name, requires));
            child.AddRepresentation(type.Name, entityType.Name, key);
            if (requires is not null)
            {
                child.AddRepresentation(type.Name, entityType.Name, requires);
            }

            var fragment = child.Selection.Fragment(entityType.Name);
            var childCtx = new Context(child, fragment, ctx.Path, null, ctx.Depth + 1) { RequiresSatisfied = def.Name };
            PlanLocal(childCtx, entityType, FieldOf(entityType, def.Name), field);
        }

        private FetchGroup ChildGroup(Context ctx, string target, int mark, Func<FetchGroup, bool>? reject = null)
        {
            var touched = _touched.Skip(mark).ToHashSet();
            var mustPrecede = touched.Concat(touched.SelectMany(Descendants)).ToHashSet();
            var child = ctx.Group.Child(target, ctx.Path, g => mustPrecede.Contains(g) || reject?.Invoke(g) == true, (g, p) => NewGroup(g, true, p, ctx.Group.Sequence, ctx.Group));
            // Key or @requires fields that came from other subgraphs must land before this fetch builds representations.
            foreach (var dependency in _touched.Skip(mark))
            {
                if (dependency != child && !DependsOn(dependency, child))
                {
                    child.DependsOn.Add(dependency);
                }
            }

            _touched.Add(child);
            return child;
        }

        private IEnumerable<FetchGroup> Descendants(FetchGroup group) => Groups.Where(g => g != group && DependsOn(g, group));

        private static bool DependsOn(FetchGroup group, FetchGroup other)
        {
            var stack = new Stack<FetchGroup>([group]);
            var seen = new HashSet<FetchGroup>();
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                if (current == other)
                {
                    return true;
                }

                foreach (var d in current.DependsOn.Where(seen.Add))
                {
                    stack.Push(d);
                }
            }

            return false;
        }

        private (string Graph, TypeDef EntityType, string Key)? ChooseTarget(
            string current,
            TypeDef type,
            FieldDef def,
            MergedField? field = null,
            Dictionary<string, List<GraphQLSelectionSet>>? provided = null)
        {
            var options = new List<(string Graph, TypeDef EntityType, string Key, int Cost)>();
            // A field with @requires is only resolvable through _entities, even in the subgraph already being called.
            foreach (var graph in supergraph.Subgraphs.Keys.Where(g => (g != current || def.JoinIn(g)?.Requires is not null) && def.ResolvableIn(type, g)))
            {
                AddKeyOptions(options, current, type, type, graph, provided);
            }

            if (options.Count == 0)
            {
                // Fields contributed through an @interfaceObject live on the interface in that subgraph.
                foreach (var interfaceName in type.Interfaces)
                {
                    if (supergraph.Types.TryGetValue(interfaceName, out var candidate) && candidate.Fields.TryGetValue(def.Name, out var interfaceField))
                    {
                        foreach (var graph in supergraph.Subgraphs.Keys.Where(g => candidate.IsInterfaceObjectIn(g) && interfaceField.ResolvableIn(candidate, g)))
                        {
                            AddKeyOptions(options, current, type, candidate, graph, provided);
                        }
                    }
                }
            }

            if (options.Count == 0)
            {
                return null;
            }

            if (field is not null)
            {
                var returnType = supergraph.Type(def.NamedType);
                var serving = options.Where(o => CanServe(o.Graph, returnType, field.Selections, 0)).ToList();
                if (serving.Count > 0)
                {
                    options = serving;
                }
                else if (returnType.IsComposite && field.Selections.Count > 0 && options.TrueForAll(o => !o.EntityType.IsComposite))
                {
                    return null;
                }
            }

            var cheapest = options.Min(o => o.Cost);
            var best = options.Where(o => o.Cost == cheapest).ToList();
            var choice = field is null || best.Count == 1
                ? best[0]
                : best.MaxBy(o => Score(o.Graph, supergraph.Type(def.NamedType), field.Selections, 3, ProvidedBy(def, o.Graph)));
            return (choice.Graph, choice.EntityType, choice.Key);
        }

        /// <summary>Keys of <paramref name="entityType"/> in <paramref name="graph"/> that the current subgraph can supply: cost 0 when all key fields are local, 1 when one more hop fetches them.</summary>
        private void AddKeyOptions(
            List<(string, TypeDef, string, int)> options,
            string current,
            TypeDef type,
            TypeDef entityType,
            string graph,
            Dictionary<string, List<GraphQLSelectionSet>>? provided)
        {
            foreach (var key in entityType.Joins.Where(j => j.Graph == graph && j.Key is not null && j.Resolvable).Select(j => j.Key!))
            {
                var missing = KeyFieldNames(key)
                    .Where(name => !type.Fields.TryGetValue(name, out var kf) || !(IsLocal(current, type, kf) || ProvidedFor(provided, type, name) is not null))
                    .ToList();
                if (missing.Count == 0)
                {
                    options.Add((graph, entityType, key, 0));
                }
                else if (missing.TrueForAll(name => type.Fields.TryGetValue(name, out var kf) && supergraph.Subgraphs.Keys.Any(g =>
                    g != current && g != graph && kf.ResolvableIn(type, g)
                    && type.Joins.Exists(j => j.Graph == g && j.Key is not null && j.Resolvable && KeyFieldNames(j.Key).All(n => type.Fields.TryGetValue(n, out var f2) && IsLocal(current, type, f2))))))
                {
                    options.Add((graph, entityType, key, 1));
                }
            }
        }

        private string Best(List<string> candidates, FieldDef def, MergedField field)
        {
            if (candidates.Count == 1)
            {
                return candidates[0];
            }

            var returnType = supergraph.Type(def.NamedType);
            return candidates.MaxBy(g => Score(g, returnType, field.Selections, 3, ProvidedBy(def, g)))!;
        }

        /// <summary>How much of a selection a subgraph can serve without further jumps; a cheap stand-in for plan cost.</summary>
        private static Dictionary<string, List<GraphQLSelectionSet>>? ProvidedBy(FieldDef def, string graph) =>
            def.JoinIn(graph)?.Provides is { } provides ? ProvidedMap([ParseFieldSet(provides)]) : null;

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

        private static FieldDef FieldOf(TypeDef type, string name) =>
            type.Fields.TryGetValue(name, out var def)
                ? def
                : throw new PlanningException($"Cannot query field \"{name}\" on type \"{type.Name}\".");
    }
}
