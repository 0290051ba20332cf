<#
Runs scripts under test one after another in this one PowerShell process (pwsh takes seconds to start, and a
scenario runs dozens of scripts), each against the NetSecurity double's store file its step names. Between
markers on stdout it prints what each step wrote to the host (-WhatIf lines among it), and at the end writes a
JSON file with, per step: the output, the errors, whether the script stopped with one, and the store afterwards.

A step: { id, script, parameters: { Name: value, ... }, store, seed (store text written first, or null), log }.
#>
param(
    [Parameter(Mandatory)] [string]$Steps,
    [Parameter(Mandatory)] [string]$Results
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$utf8 = [System.Text.UTF8Encoding]::new($false)

# By name, through PSModulePath, before any script runs: test/pwsh also holds another module with the same
# command names (the audit's FirewallExportDouble), which command autoloading must never pick.
Import-Module NetSecurity, NetConnection
$all = @([System.IO.File]::ReadAllText($Steps) | ConvertFrom-Json)
$out = [System.Collections.Generic.List[object]]::new()
foreach ($step in $all) {
    $env:NETSECURITY_DOUBLE_STORE = $step.store
    $env:NETSECURITY_DOUBLE_LOG = $step.log
    if ($null -ne $step.seed) { [System.IO.File]::WriteAllText($step.store, $step.seed, $utf8) }
    $parameters = @{}
    if ($null -ne $step.parameters) {
        foreach ($p in $step.parameters.PSObject.Properties) { $parameters[$p.Name] = $p.Value }
    }
    $output = [System.Collections.Generic.List[string]]::new()
    $errors = [System.Collections.Generic.List[string]]::new()
    $stopped = $null
    [Console]::Out.WriteLine("##step-begin $($step.id)")
    try {
        # *>&1: every stream of the script, in order; -WhatIf lines go to the host (stdout) and stay between the markers.
        foreach ($record in (& $step.script @parameters *>&1)) {
            if ($record -is [System.Management.Automation.ErrorRecord]) { $errors.Add("$($record.FullyQualifiedErrorId): $record") }
            elseif ($record -is [System.Management.Automation.WarningRecord]) { $output.Add("WARNING: $record") }
            else { $output.Add([string]$record) }
        }
    }
    catch {
        $stopped = "$($_.FullyQualifiedErrorId): $_ at $($_.InvocationInfo.PositionMessage)"
    }
    [Console]::Out.WriteLine("##step-end $($step.id)")
    $store = if (Test-Path -LiteralPath $step.store) { [System.IO.File]::ReadAllText($step.store) } else { $null }
    $out.Add([ordered]@{ id = $step.id; output = $output.ToArray(); errors = $errors.ToArray(); stopped = $stopped; store = $store })
}
[System.IO.File]::WriteAllText($Results, (ConvertTo-Json -InputObject $out.ToArray() -Depth 5), $utf8)
