using Federation.Kafka;
using KafkaProbe;

// A test helper: one Kafka client per process, so tests prove that separate processes cooperate through the broker.
// Output is line-oriented on stdout for the test to parse.
try
{
    var arguments = new ProbeArguments(args);
    KafkaNativeLibrary.EnsureLoaded();
    return arguments.Text("role") switch
    {
        "producer" => await ProducerRole.RunAsync(arguments),
        "consumer" => ConsumerRole.Run(arguments),
        "metadata" => MetadataRole.Run(arguments),
        var role => throw new ArgumentException($"Unknown role '{role}' (producer|consumer|metadata)."),
    };
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine("usage: KafkaProbe --role producer --bootstrap S --topic T --count N [--prefix P]");
    Console.Error.WriteLine("       KafkaProbe --role consumer --bootstrap S --topic T --group G [--max N] [--timeout-ms M]");
    Console.Error.WriteLine("       KafkaProbe --role metadata --bootstrap S");
    return 2;
}
