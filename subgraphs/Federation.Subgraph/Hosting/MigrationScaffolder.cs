using System.Reflection;
using Federation.Subgraph.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal;

namespace Federation.Subgraph.Hosting;

/// <summary>
/// Scaffolds EF Core migrations from the built subgraph, because no dotnet-ef tool can be installed here:
/// the same design-time services the tool uses, fed with the subgraph's own DbContext.
/// </summary>
internal static class MigrationScaffolder
{
    public static int AddMigration(IServiceProvider services, string name)
    {
        var registrations = services.GetServices<IDatabaseInitializer>().ToList();
        if (registrations.Count != 1)
        {
            Console.Error.WriteLine($"Expected exactly one database in this subgraph, found {registrations.Count}.");
            return 2;
        }

        using var context = registrations[0].CreateDesignTimeContext(services);
        var assembly = Assembly.GetEntryAssembly()!;
        var projectDir = FindProjectDirectory(assembly.GetName().Name!);

        var design = new ServiceCollection();
        design.AddEntityFrameworkDesignTimeServices();
        design.AddDbContextDesignTimeServices(context);
#pragma warning disable EF1001 // Npgsql exposes its design-time services only from an internal namespace.
        new NpgsqlDesignTimeServices().ConfigureDesignTimeServices(design);
#pragma warning restore EF1001
        using var provider = design.BuildServiceProvider();

        var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
        var migration = scaffolder.ScaffoldMigration(name, assembly.GetName().Name!, subNamespace: "Data.Migrations", language: "C#");
        var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Data", "Migrations"));
        Console.WriteLine(files.MigrationFile);
        Console.WriteLine(files.MetadataFile);
        Console.WriteLine(files.SnapshotFile);
        return 0;
    }

    private static string FindProjectDirectory(string projectName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, projectName + ".csproj")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Could not find {projectName}.csproj above {AppContext.BaseDirectory}; run from the build output of the project.");
    }
}
