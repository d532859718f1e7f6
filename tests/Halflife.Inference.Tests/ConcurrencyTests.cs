using Halflife.Inference.Tests.Support;

namespace Halflife.Inference.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task One_session_serves_concurrent_runs_with_correct_results()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);

        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var input = Enumerable.Range(0, 2 * 3 * 3).Select(k => (float)((worker * 1000) + i + k)).ToArray();
                using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 2, 3, 3]);
                using var outputs = session.Run(new Dictionary<string, OrtValue> { ["x"] = value });
                var output = outputs[0].ToArray<float>();
                for (var k = 0; k < input.Length; k++)
                {
                    if (output[k] != input[k] + 1.5f)
                    {
                        return $"worker {worker} run {i}: element {k} is {output[k]}, expected {input[k] + 1.5f}";
                    }
                }
            }

            return null;
        }, TestContext.Current.CancellationToken)).ToArray();

        var failures = (await Task.WhenAll(tasks)).Where(f => f is not null).ToList();
        Assert.Empty(failures);
    }
}
