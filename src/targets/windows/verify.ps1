# Socket errors, read as nmap's connect scan reads them (the same table as scomfw check): state, reason, detail.
# TimedOut is missing on purpose: it is silence, which is retried before it is believed.
$SocketVerdicts = @{
    ConnectionRefused  = @('closed', 'refused', 'the host answered with a reset: nothing listens on the port, and the path lets it through')
    ConnectionReset    = @('closed', 'refused', 'ICMP port unreachable: nothing listens on the port, and the path lets it through')
    HostUnreachable    = @('filtered', 'unreachable', 'host unreachable (ICMP, or no neighbour answered; a router may also say this for an administrative block)')
    NetworkUnreachable = @('filtered', 'unreachable', 'network unreachable: no route to the destination')
    HostDown           = @('filtered', 'unreachable', 'host down: no neighbour answered')
    AccessDenied       = @('filtered', 'admin-prohibited', 'access denied: a firewall on this machine or on the way forbids it')
}

function New-Probe {
    param($Flow, [string]$Address)
    return [pscustomobject]@{
        Flow      = $Flow
        Address   = $Address
        Attempts  = 0
        State     = $null
        Reason    = $null
        RttMs     = $null
        Detail    = ''
        Client    = $null
        Task      = $null
        StartedMs = 0.0
    }
}

function Set-Verdict {
    param($Probe, [string]$State, [string]$Reason, $RttMs, [string]$Detail)
    if ($null -ne $RttMs) {
        $RttMs = [Math]::Round([double]$RttMs, 2)
    }
    $Probe.State = $State
    $Probe.Reason = $Reason
    $Probe.RttMs = $RttMs
    $Probe.Detail = $Detail
}

# Silence: left undecided while attempts remain, so that the next wave sends again.
function Register-Silence {
    param($Probe)
    if ($Probe.Attempts -le $Retries) {
        return
    }
    if ($Probe.Flow.Method -eq 'ssrp') {
        Set-Verdict $Probe 'open|filtered' 'no-response' $null 'no answer to the SQL Server Browser request: the Browser is not running or a firewall drops it'
    }
    else {
        Set-Verdict $Probe 'filtered' 'timeout' $null 'no answer: the SYN or its reply is dropped on the way'
    }
}

# .NET wraps the socket error in MethodInvocationException (a direct call) or AggregateException (a task).
function Find-SocketException {
    param($Failure)
    while ($null -ne $Failure) {
        if ($Failure -is [System.Net.Sockets.SocketException]) {
            return $Failure
        }
        $Failure = $Failure.InnerException
    }
    return $null
}

function Resolve-Failure {
    param($Probe, $Failure, $RttMs)
    $socket = Find-SocketException $Failure
    if ($null -eq $socket) {
        $what = 'cancelled'
        if ($null -ne $Failure) {
            $what = $Failure.GetBaseException().GetType().Name
        }
        Set-Verdict $Probe 'unprovable' 'error' $null ('the probe could not be sent: ' + $what)
        return
    }
    $name = [string]$socket.SocketErrorCode
    if ($name -eq 'TimedOut') {
        Register-Silence $Probe
        return
    }
    $code = $name + ' ' + [string]$socket.NativeErrorCode
    if ($SocketVerdicts.ContainsKey($name)) {
        $verdict = $SocketVerdicts[$name]
        Set-Verdict $Probe $verdict[0] $verdict[1] $RttMs ($verdict[2] + ' (' + $code + ')')
    }
    else {
        Set-Verdict $Probe 'unprovable' 'error' $null ('the probe could not be sent: ' + $code)
    }
}

# MC-SQLR 2.2.5 SVR_RESP: 0x05, RESP_SIZE (16 bits, little-endian), RESP_DATA: "key;value;" pairs, ";;" between instances.
function Get-SsrpDetail {
    param([byte[]]$Reply)
    if ($Reply.Length -lt 3 -or $Reply[0] -ne 5) {
        return 'something answered on the port, but not in SVR_RESP form (' + $Reply.Length + ' bytes)'
    }
    $size = [Math]::Min([int]$Reply[1] + 256 * [int]$Reply[2], $Reply.Length - 3)
    # The text comes from the network: control characters are replaced before it reaches the console or the file.
    $text = [System.Text.Encoding]::UTF8.GetString($Reply, 3, $size) -replace '[\x00-\x1F\x7F]', '?'
    $instances = @(foreach ($entry in $text.Split([string[]]@(';;'), [System.StringSplitOptions]::RemoveEmptyEntries)) {
        $fields = $entry.Split(';')
        $instance = '?'
        $port = ''
        for ($i = 0; $i + 1 -lt $fields.Length; $i += 2) {
            if ($fields[$i] -eq 'InstanceName') {
                $instance = $fields[$i + 1]
            }
            if ($fields[$i] -eq 'tcp') {
                $port = ' (tcp ' + $fields[$i + 1] + ')'
            }
        }
        $instance + $port
    })
    if ($instances.Count -eq 0) {
        return 'SQL Server Browser answered: no instances'
    }
    return 'SQL Server Browser answered: ' + ($instances -join ', ')
}

function Start-Attempt {
    param($Probe, [System.Diagnostics.Stopwatch]$Clock)
    $Probe.Attempts++
    $Probe.StartedMs = $Clock.Elapsed.TotalMilliseconds
    try {
        $ip = [System.Net.IPAddress]::Parse($Probe.Address)
        if ($Probe.Flow.Method -eq 'ssrp') {
            $Probe.Client = [System.Net.Sockets.UdpClient]::new($ip.AddressFamily)
            # Connected, so that an ICMP port unreachable fails the receive (ConnectionReset) instead of being lost.
            $Probe.Client.Connect($ip, [int]$Probe.Flow.Port)
            # CLNT_UCAST_EX (MC-SQLR 2.2.2): the one byte 0x03 asks the Browser for every instance.
            [void]$Probe.Client.Send([byte[]]@(3), 1)
            $Probe.Task = $Probe.Client.ReceiveAsync()
        }
        else {
            $Probe.Client = [System.Net.Sockets.TcpClient]::new($ip.AddressFamily)
            $Probe.Task = $Probe.Client.ConnectAsync($ip, [int]$Probe.Flow.Port)
        }
    }
    catch {
        $Probe.Task = $null
        Resolve-Failure $Probe $_.Exception ($Clock.Elapsed.TotalMilliseconds - $Probe.StartedMs)
    }
}

function Complete-Attempt {
    param($Probe, [double]$RttMs)
    $task = $Probe.Task
    if ($task.Status -ne [System.Threading.Tasks.TaskStatus]::RanToCompletion) {
        Resolve-Failure $Probe $task.Exception $RttMs
    }
    elseif ($Probe.Flow.Method -eq 'ssrp') {
        Set-Verdict $Probe 'open' 'ssrp-response' $RttMs (Get-SsrpDetail $task.Result.Buffer)
    }
    else {
        # Closed at once, no byte sent: a real service sees a client that changed its mind.
        $Probe.Client.Close()
        Set-Verdict $Probe 'open' 'syn-ack' $RttMs 'connection accepted (SYN-ACK)'
    }
}

# One batch: start every attempt, then take answers as they come until all are in or -TimeoutMs has passed
# since the last one started.
# Task.WaitAny, not WaitHandle.WaitAll: WaitAll refuses more than 64 handles and any number on an STA thread,
# which is what powershell.exe runs scripts on.
function Invoke-Batch {
    param([object[]]$Batch)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $pending = [System.Collections.Generic.List[object]]::new()
    foreach ($probe in $Batch) {
        Start-Attempt $probe $clock
        if ($null -ne $probe.Task) {
            $pending.Add($probe)
        }
    }
    $deadline = $clock.ElapsedMilliseconds + $TimeoutMs
    while ($pending.Count -gt 0) {
        $left = $deadline - $clock.ElapsedMilliseconds
        if ($left -le 0) {
            break
        }
        $tasks = [System.Threading.Tasks.Task[]]::new($pending.Count)
        for ($i = 0; $i -lt $pending.Count; $i++) {
            $tasks[$i] = $pending[$i].Task
        }
        $index = [System.Threading.Tasks.Task]::WaitAny($tasks, [int]$left)
        if ($index -lt 0) {
            break
        }
        $done = $pending[$index]
        $pending.RemoveAt($index)
        Complete-Attempt $done ($clock.Elapsed.TotalMilliseconds - $done.StartedMs)
    }
    foreach ($probe in $pending) {
        Register-Silence $probe
    }
    foreach ($probe in $Batch) {
        if ($null -ne $probe.Client) {
            $probe.Client.Close()
        }
        $probe.Client = $null
        $probe.Task = $null
    }
}

function Get-Undecided {
    param($Probes)
    foreach ($probe in $Probes) {
        if ($null -eq $probe.State) {
            $probe
        }
    }
}

# This machine's own addresses, loopback left out, as scomfw check reports them (no IPv6 zone suffix).
function Get-LocalAddresses {
    $found = @(foreach ($nic in [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces()) {
        if ($nic.NetworkInterfaceType -eq [System.Net.NetworkInformation.NetworkInterfaceType]::Loopback) {
            continue
        }
        foreach ($unicast in $nic.GetIPProperties().UnicastAddresses) {
            $unicast.Address.ToString().Split('%')[0]
        }
    })
    return $found | Select-Object -Unique
}

# Which of the hosts alike this machine is: the one -Source names, else the one with an address of this machine,
# else the one whose name (or its first label) is this machine's name. $null when none is, or more than one.
function Select-Member {
    param($Members, [string]$Source)
    if ($Source -ne '') {
        return Select-One @(foreach ($member in $Members) { if ($member.Name -eq $Source) { $member } })
    }
    $local = @(Get-LocalAddresses)
    $byAddress = @(foreach ($member in $Members) { if ($local -contains $member.Address) { $member } })
    if ($byAddress.Count -gt 0) {
        return Select-One $byAddress
    }
    $names = @([System.Net.Dns]::GetHostName(), $env:COMPUTERNAME)
    return Select-One @(foreach ($member in $Members) { if (($names -contains $member.Name) -or ($names -contains $member.Name.Split('.')[0])) { $member } })
}

function Select-One {
    param($Found)
    if ($Found.Count -eq 1) {
        return $Found[0]
    }
    return $null
}

function Get-UtcStamp {
    return [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture)
}

# The result JSON is written here rather than by ConvertTo-Json, whose output differs between 5.1 and 7 (a
# one-element array piped in comes out as a bare object on 5.1, <>'& are escaped on 5.1 only, indentation), so
# that both write the same bytes. Numbers use the invariant culture: a German Windows would write 12,5.
function ConvertTo-JsonValue {
    param($Value)
    if ($null -eq $Value) {
        return 'null'
    }
    if ($Value -isnot [string]) {
        return ([double]$Value).ToString('R', [System.Globalization.CultureInfo]::InvariantCulture)
    }
    $builder = [System.Text.StringBuilder]::new()
    [void]$builder.Append([char]34)
    foreach ($char in $Value.ToCharArray()) {
        $code = [int]$char
        if ($code -eq 34 -or $code -eq 92) {
            [void]$builder.Append([char]92).Append($char)
        }
        elseif ($code -lt 32) {
            [void]$builder.Append('\u').Append($code.ToString('x4'))
        }
        else {
            [void]$builder.Append($char)
        }
    }
    [void]$builder.Append([char]34)
    return $builder.ToString()
}

function Format-Result {
    param($Probe)
    $flow = $Probe.Flow
    $fields = @(
        '"flow": ' + (ConvertTo-JsonValue $flow.Id)
        '"destination": ' + (ConvertTo-JsonValue $flow.Destination)
        '"address": ' + (ConvertTo-JsonValue $Probe.Address)
        '"protocol": ' + (ConvertTo-JsonValue $flow.Protocol)
        '"port": ' + (ConvertTo-JsonValue $flow.Port)
        '"phase": ' + (ConvertTo-JsonValue $flow.Phase)
        '"state": ' + (ConvertTo-JsonValue $Probe.State)
        '"reason": ' + (ConvertTo-JsonValue $Probe.Reason)
        '"rttMs": ' + (ConvertTo-JsonValue $Probe.RttMs)
        '"attempts": ' + (ConvertTo-JsonValue $Probe.Attempts)
        '"detail": ' + (ConvertTo-JsonValue $Probe.Detail)
    )
    return '    { ' + ($fields -join ', ') + ' }'
}

function Get-Summary {
    param($Probes)
    $summary = [ordered]@{ 'open' = 0; 'closed' = 0; 'filtered' = 0; 'open|filtered' = 0; 'unprovable' = 0 }
    foreach ($probe in $Probes) {
        $summary[$probe.State]++
    }
    return $summary
}

function Format-Results {
    param($Probes, [string]$StartedAt, [string]$FinishedAt)
    $summary = Get-Summary $Probes
    $local = @(foreach ($address in (Get-LocalAddresses)) { ConvertTo-JsonValue $address })
    $rows = @(foreach ($probe in $Probes) { Format-Result $probe })
    $counts = @(foreach ($key in $summary.Keys) { (ConvertTo-JsonValue $key) + ': ' + $summary[$key] })
    $lines = @(
        '{'
        '  "format": "scomfw-results",'
        '  "version": 1,'
        '  "prober": "powershell",'
        '  "managementGroup": ' + (ConvertTo-JsonValue $ManagementGroup) + ','
        '  "catalog": ' + (ConvertTo-JsonValue $Catalog) + ','
        '  "source": { "name": ' + (ConvertTo-JsonValue $SourceName) + ', "addresses": [' + ($local -join ', ') + '] },'
        '  "startedAt": ' + (ConvertTo-JsonValue $StartedAt) + ','
        '  "finishedAt": ' + (ConvertTo-JsonValue $FinishedAt) + ','
        '  "settings": { "timeoutMs": ' + $TimeoutMs + ', "retries": ' + $Retries + ', "concurrency": ' + $Concurrency + ', "adaptive": false },'
        '  "results": ['
        ($rows -join (',' + [Environment]::NewLine))
        '  ],'
        '  "summary": { ' + ($counts -join ', ') + ' }'
        '}'
    )
    return ($lines -join [Environment]::NewLine) + [Environment]::NewLine
}

function Show-Results {
    param($Probes, [string]$Path)
    $rows = foreach ($probe in $Probes) {
        [pscustomobject]@{
            State   = $probe.State
            Reason  = $probe.Reason
            Phase   = $probe.Flow.Phase
            Address = $probe.Address
            RttMs   = $probe.RttMs
            Flow    = $probe.Flow.Id
        }
    }
    $table = ($rows | Format-Table -AutoSize | Out-String -Width 250).TrimEnd()
    Write-Host $table
    $summary = Get-Summary $Probes
    $counts = @(foreach ($key in $summary.Keys) { [string]$summary[$key] + ' ' + $key })
    Write-Host ($SourceName + ': ' + ($counts -join ', ') + '. Results: ' + $Path)
}

# Posts the result to a scomfw serve dashboard; says why not when it cannot. The body goes as UTF-8 bytes: Windows
# PowerShell 5.1 would send a string in ISO-8859-1. TLS 1.2 is added because 5.1 on older Windows lacks it.
function Send-Results {
    param([string]$Json)
    if ($Token -eq '') {
        Write-Warning '-ReportTo needs -Token: the token scomfw serve made'
        return $false
    }
    $uri = $ReportTo.TrimEnd('/')
    if (-not $uri.EndsWith('/api/results')) {
        $uri = $uri + '/api/results'
    }
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor [System.Net.SecurityProtocolType]::Tls12
    $headers = @{ Authorization = 'Bearer ' + $Token }
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Json)
    try {
        $answer = Invoke-RestMethod -Uri $uri -Method Post -Headers $headers -ContentType 'application/json; charset=utf-8' -Body $bytes -UseBasicParsing
        Write-Host ('Reported to ' + $uri + ': result ' + $answer.id)
        return $true
    }
    catch {
        Write-Warning ('Could not report to ' + $uri + ': ' + $_.Exception.Message)
        return $false
    }
}

# Required flows (phase always) that a probe showed not open: closed or filtered. open|filtered and unprovable
# are no proof either way, so they do not fail the run by themselves.
function Get-ExitCode {
    param($Probes)
    foreach ($probe in $Probes) {
        if ($probe.Flow.Phase -eq 'always' -and ($probe.State -eq 'closed' -or $probe.State -eq 'filtered')) {
            return 1
        }
    }
    return 0
}

# A script for hosts alike runs as one of them: which, is settled before anything is probed.
if (Test-Path -Path 'Variable:\Members') {
    $member = Select-Member $Members $Source
    if ($null -eq $member) {
        $host.UI.WriteErrorLine('This machine is none of the ' + $Members.Count + ' hosts this script is for, or more than one of them (see $Members): name one with -Source.')
        exit 3
    }
    $SourceName = $member.Name
    if ($OutFile -eq '') {
        $OutFile = '.\' + $SourceName + '.results.json'
    }
    foreach ($flow in $Flows) {
        $flow.Id = $SourceName + $flow.Id
    }
}

$probes = [System.Collections.Generic.List[object]]::new()
foreach ($flow in $Flows) {
    $count = [Math]::Min($Sample, $flow.Addresses.Count)
    for ($i = 0; $i -lt $count; $i++) {
        $probe = New-Probe $flow ($flow.Addresses[$i])
        if ($flow.Method -eq 'none') {
            Set-Verdict $probe 'unprovable' 'not-probed' $null $flow.Detail
        }
        $probes.Add($probe)
    }
}

$startedAt = Get-UtcStamp
# Waves: every undecided probe once, -Concurrency at a time; a silence leaves a probe undecided for the next wave
# until -Retries more attempts have gone unanswered.
$queue = @(Get-Undecided $probes)
while ($queue.Count -gt 0) {
    for ($at = 0; $at -lt $queue.Count; $at += $Concurrency) {
        $last = [Math]::Min($at + $Concurrency, $queue.Count) - 1
        Invoke-Batch ($queue[$at..$last])
    }
    $queue = @(Get-Undecided $probes)
}
$finishedAt = Get-UtcStamp

$json = Format-Results $probes $startedAt $finishedAt
# A relative -OutFile is relative to the PowerShell location, which .NET does not know.
$path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
# Out-File and Set-Content -Encoding UTF8 write a byte order mark on 5.1; JSON readers expect none.
[System.IO.File]::WriteAllText($path, $json, [System.Text.UTF8Encoding]::new($false))
Show-Results $probes $path
if ($PassThru -or (Test-Path -Path 'Variable:\PSSenderInfo')) {
    $json
}
$code = Get-ExitCode $probes
if ($ReportTo -ne '') {
    if (-not (Send-Results $json)) {
        $code = 2
    }
}
exit $code
