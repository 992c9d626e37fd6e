using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Federation.Testing.Fixtures;

/// <summary>
/// xunit v2 has no assembly fixture: this framework stops <see cref="SharedInfrastructure"/> after the
/// assembly's last test and before the run is reported finished, while the test host is certainly alive.
/// It is also created before any test of the assembly runs, so it sets the seed clock there
/// (<see cref="SeedClockSetting"/>): a test that reads the seed plan without touching this assembly first
/// (a pure unit test of the plan) would otherwise fix the plan's dates to its own clock, and the seeded rows it is
/// compared with are at the written dates.
/// Every test project enables it with
/// <c>[assembly: Xunit.TestFramework("Federation.Testing.Fixtures.FederationTestFramework", "Federation.Testing")]</c>.
/// </summary>
public sealed class FederationTestFramework : XunitTestFramework
{
    public FederationTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        SeedClockSetting.KeepWrittenSeedDates();
    }

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        // async void mirrors the base class: the runner reports completion through the message sink.
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await SharedInfrastructure.StopAllAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
