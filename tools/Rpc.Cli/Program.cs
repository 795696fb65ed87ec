using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Rpc;
using Rpc.Cli;

// rpc: list, describe and call the services of an Rpc server that has description enabled (docs/contracts.md).
var address = new Argument<string>("address") { Description = "The server, e.g. tcp://localhost:5050 or unix:///tmp/rpc.sock." };
var target = new Argument<string>("target") { Description = "Service or Service/Method, e.g. Demo.IGreeter/SayHelloAsync." };
var arguments = new Argument<string?>("arguments") { Description = "The arguments as a JSON object keyed by parameter name, e.g. '{\"request\": {\"name\": \"Ada\"}}'.", Arity = ArgumentArity.ZeroOrOne };
var header = new Option<string[]>("--header", "-H") { Description = "A request header, key=value; repeat for more.", Arity = ArgumentArity.ZeroOrMore };
var timeout = new Option<string?>("--timeout") { Description = "The call's timeout and the connect timeout: 5, 2.5s, 500ms or hh:mm:ss." };
var tls = new Option<bool>("--tls") { Description = "Connect with TLS, validating the server's certificate." };
var insecure = new Option<bool>("--insecure") { Description = "Connect with TLS without validating the server's certificate (testing only)." };
var ca = new Option<string?>("--ca") { Description = "Trust the server certificate if it chains to this CA certificate (PEM or DER); implies --tls." };
var cert = new Option<string?>("--cert") { Description = "A client certificate for mutual TLS: PEM (with its key, or see --key) or PFX; implies --tls." };
var key = new Option<string?>("--key") { Description = "The PEM private key of --cert, when not in the same file." };

Option[] connectionOptions = [header, timeout, tls, insecure, ca, cert, key];

CliConnection Connection(ParseResult parse) => new(
    parse.GetValue(address)!,
    parse.GetValue(header) ?? [],
    parse.GetValue(timeout),
    parse.GetValue(tls),
    parse.GetValue(insecure),
    parse.GetValue(ca),
    parse.GetValue(cert),
    parse.GetValue(key));

Command Verb(string name, string description, Argument[] verbArguments, Func<ParseResult, CancellationToken, Task> run)
{
    var command = new Command(name, description);
    command.Arguments.Add(address);
    foreach (Argument argument in verbArguments)
    {
        command.Arguments.Add(argument);
    }
    foreach (Option option in connectionOptions)
    {
        command.Options.Add(option);
    }
    command.SetAction(async (parse, cancellationToken) => await Run(() => run(parse, cancellationToken)));
    return command;
}

var root = new RootCommand("Call Rpc servers from the command line: list their services, describe methods, call them with JSON.")
{
    Verb("list", "List the services and methods the server hosts.", [], (parse, ct) => Commands.ListAsync(Connection(parse), Console.Out, ct)),
    Verb("describe", "Print the contract of a service, or of one method and the types it uses, as JSON.", [target],
        (parse, ct) => Commands.DescribeAsync(Connection(parse), parse.GetValue(target)!, Console.Out, ct)),
    Verb("call", "Call a method with JSON arguments and print its result as JSON (a stream: one JSON line per item).", [target, arguments],
        (parse, ct) => Commands.CallAsync(Connection(parse), parse.GetValue(target)!, parse.GetValue(arguments), Console.Out, ct)),
};
return await root.Parse(args).InvokeAsync();

// Exit codes: 0 done, 1 the call failed with a status, 2 the request was wrong (bad JSON, unknown method, no server).
static async Task<int> Run(Func<Task> action)
{
    try
    {
        await action();
        return 0;
    }
    catch (CliException ex)
    {
        Console.Error.WriteLine("rpc: " + ex.Message);
        return 2;
    }
    catch (RpcException ex)
    {
        Console.Error.WriteLine($"rpc: {ex.StatusCode}: {ex.Message}");
        return 1;
    }
}
