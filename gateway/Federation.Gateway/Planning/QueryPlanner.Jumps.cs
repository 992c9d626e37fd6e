using Federation.Gateway.Schema;
using GraphQLParser.AST;

namespace Federation.Gateway.Planning;

public sealed partial class QueryPlanner
{
    private sealed partial class Session
    {
        private void PlanJump(Context ctx, TypeDef type, FieldDef def, MergedField field)
        {
            var choice = ChooseTarget(ctx.Group.Graph, type, def, field, ctx.Provided, ctx.EntityRoot);
            if (choice is null && ctx.Parent is { } parent && ChooseTarget(parent.Context.Group.Graph, parent.Type, parent.Field, Narrow(parent.Selection, field), null, parent.Context.EntityRoot) is not null)
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
            var childCtx = new Context(child, fragment, ctx.Path, null, ctx.Depth + 1) { RequiresSatisfied = def.Name, EntityRoot = true };
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
            Dictionary<string, List<GraphQLSelectionSet>>? provided = null,
            bool fromRepresentation = false)
        {
            var options = new List<(string Graph, TypeDef EntityType, string Key, int Cost)>();

            // A field with @requires is only resolvable through _entities, even in the subgraph already being called.
            foreach (var graph in supergraph.Subgraphs.Keys.Where(g => (g != current || def.JoinIn(g)?.Requires is not null) && def.ResolvableIn(type, g)))
            {
                AddKeyOptions(options, current, type, type, graph, provided, fromRepresentation);
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
                            AddKeyOptions(options, current, type, candidate, graph, provided, fromRepresentation);
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
            Dictionary<string, List<GraphQLSelectionSet>>? provided,
            bool fromRepresentation)
        {
            foreach (var key in entityType.Joins.Where(j => j.Graph == graph && j.Key is not null && j.Resolvable).Select(j => j.Key!))
            {
                var missing = KeyFieldNames(key)
                    .Where(name => !type.Fields.TryGetValue(name, out var kf) || !(IsLocal(current, type, kf, fromRepresentation) || ProvidedFor(provided, type, name) is not null))
                    .ToList();
                if (missing.Count == 0)
                {
                    options.Add((graph, entityType, key, 0));
                }
                else if (missing.TrueForAll(name => type.Fields.TryGetValue(name, out var kf) && supergraph.Subgraphs.Keys.Any(g =>
                    g != current && g != graph && kf.ResolvableIn(type, g)
                    && type.Joins.Exists(j => j.Graph == g && j.Key is not null && j.Resolvable && KeyFieldNames(j.Key).All(n => type.Fields.TryGetValue(n, out var f2) && IsLocal(current, type, f2, fromRepresentation))))))
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
    }
}
