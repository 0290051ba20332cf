<#
.SYNOPSIS
  scomfw SCOM inventory exporter (format scomfw-scom-export, version 1). Read-only.

.DESCRIPTION
  Run on a SCOM management server (Windows PowerShell 5.1, OperationsManager module). Reads the management
  group's servers, gateways, agents, UNIX/Linux agents, network devices, resource pools, database, reporting and
  web console settings and ACS collectors, and writes one JSON file for `scomfw import scom`. It changes nothing
  in SCOM: only Get-* cmdlets, object properties and read-only methods are used, plus DNS lookups.

  Cmdlets and properties (Microsoft documentation):
  - Get-SCOMManagementGroup, Get-SCOMManagementServer, Get-SCOMGatewayManagementServer, Get-SCOMAgent,
    Get-SCOMParentManagementServer,
    Get-SCOMResourcePool, Get-SCOMClass, Get-SCOMClassInstance, Get-SCOMRelationship,
    Get-SCOMRelationshipInstance, Get-SCOMDataWarehouseSetting, Get-SCOMReportingSetting,
    Get-SCOMWebAddressSetting: https://learn.microsoft.com/en-us/powershell/module/operationsmanager/
  - Get-SCXAgent -ResourcePool: https://learn.microsoft.com/en-us/previous-versions/system-center/powershell/system-center-2012-r2/hh545199(v=sc.20)
  - AgentManagedComputer.PrimaryManagementServerName:
    https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb424849(v=msdn.10)
  - ComputerHealthService.GetPrimaryManagementServer / GetFailoverManagementServers (agents and gateways):
    https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb438459(v=msdn.10)
  - ManagementServer class (IsGateway, PrincipalName):
    https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb465408(v=msdn.10)
  - Settings DataWarehouseServerName / ReportingServerUrl:
    https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb423762(v=msdn.10)
    https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb423763(v=msdn.10)
  - Get-SCOMReportingSetting: https://learn.microsoft.com/en-us/previous-versions/system-center/powershell/system-center-2012-r2/hh918473(v=sc.20)
  - Get-SCOMWebAddressSetting: https://learn.microsoft.com/en-us/previous-versions/system-center/powershell/system-center-2012-sp1/hh920248(v=sc.10)
  - Get-SCOMResourcePool: https://learn.microsoft.com/en-us/previous-versions/system-center/powershell/system-center-2012-sp1/hh920189(v=sc.10)

.PARAMETER OutFile
  Where to write the JSON (UTF-8). Default: scom-export.json in the current directory.

.PARAMETER OperationalDatabase
  The operational database server setting (server[\instance][,port]). Default: read from the management
  server's setup key HKLM:\SOFTWARE\Microsoft\Microsoft Operations Manager\3.0\Setup (DatabaseServerName).

.EXAMPLE
  .\scom-inventory.ps1 -OutFile C:\temp\scom-export.json
#>
[CmdletBinding()]
param(
  [string] $OutFile = 'scom-export.json',
  [string] $OperationalDatabase = '',
  [string] $SetupKey = 'HKLM:\SOFTWARE\Microsoft\Microsoft Operations Manager\3.0\Setup'
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$script:notes = New-Object System.Collections.ArrayList

function Add-Note([string] $text) { [void] $script:notes.Add($text) }

# Runs a read-only query; a failure becomes a note in the export (the importer turns it into a TODO), never a stop.
function Invoke-Read([string] $what, [scriptblock] $query) {
  try { return @(& $query) } catch { Add-Note ("{0}: {1}" -f $what, $_.Exception.Message); return @() }
}

function Get-Prop($object, [string] $name) {
  if ($null -eq $object) { return $null }
  $p = $object.PSObject.Properties[$name]
  if ($null -eq $p) { return $null }
  return $p.Value
}

# The FQDN SCOM holds for a health service: PrincipalName where the object has it, else Name, else DisplayName.
function Get-ComputerName($object) {
  foreach ($n in @('PrincipalName', 'Name', 'DisplayName')) {
    $v = Get-Prop $object $n
    if ($v) { return [string] $v }
  }
  return $null
}

$script:dnsCache = @{}

# Addresses from the SCOM object where it has an IPAddress property (documented on RemotelyManagedComputer), else
# from DNS through Resolve-DnsName (DnsClient module:
# https://learn.microsoft.com/en-us/powershell/module/dnsclient/resolve-dnsname); loopback and link-local left out.
# Each name is looked up once.
function Get-Addresses([string] $name, $object) {
  $list = New-Object System.Collections.ArrayList
  $source = 'none'
  $fromObject = [string] (Get-Prop $object 'IPAddress')
  if ($fromObject) {
    foreach ($a in ($fromObject -split '[,;\s]+')) { if ($a -and (Test-Usable $a)) { [void] $list.Add($a) } }
    if ($list.Count -gt 0) { $source = 'scom' }
  }
  if ($list.Count -eq 0 -and $name) {
    $key = $name.ToLowerInvariant()
    if (-not $script:dnsCache.ContainsKey($key)) {
      $found = @()
      try {
        $found = @(Resolve-DnsName -Name $name -ErrorAction Stop | Where-Object { $_.PSObject.Properties['IPAddress'] -and $_.IPAddress } | ForEach-Object { [string] $_.IPAddress })
      } catch { Add-Note ("DNS has no address for {0}" -f $name) }
      $script:dnsCache[$key] = $found
    }
    foreach ($a in $script:dnsCache[$key]) { if (Test-Usable $a) { [void] $list.Add($a) } }
    if ($list.Count -gt 0) { $source = 'dns' }
  }
  return [pscustomobject] @{ addresses = @($list | Select-Object -Unique); source = $source }
}

function Test-Usable([string] $address) {
  $ip = $null
  if (-not [System.Net.IPAddress]::TryParse($address, [ref] $ip)) { return $false }
  if ([System.Net.IPAddress]::IsLoopback($ip)) { return $false }
  if ($ip.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6 -and $ip.IsIPv6LinkLocal) { return $false }
  return $true
}

function New-Computer([string] $name, $object) {
  $a = Get-Addresses $name $object
  return [ordered] @{ name = $name; addresses = @($a.addresses); addressSource = $a.source }
}

# Primary: an agent's PrimaryManagementServerName; else Get-SCOMParentManagementServer -Agent / -GatewayServer
# ("gets the management servers to which an agent reports":
# https://learn.microsoft.com/en-us/powershell/module/operationsmanager/get-scomparentmanagementserver);
# else the object's GetPrimaryManagementServer(). Failover: GetFailoverManagementServers() (Microsoft's reference
# has no Get- cmdlet for failover servers).
function Get-ParentNames($healthService, [string] $kind) {
  $primary = $null
  $failover = @()
  $who = Get-ComputerName $healthService
  $pn = Get-Prop $healthService 'PrimaryManagementServerName'
  if ($pn) { $primary = [string] $pn }
  if (-not $primary) {
    try {
      if ($kind -eq 'gateway') { $parents = @(Get-SCOMParentManagementServer -GatewayServer $healthService) }
      else { $parents = @(Get-SCOMParentManagementServer -Agent $healthService) }
      if ($parents.Count -gt 0) { $primary = Get-ComputerName $parents[0] }
    } catch { Add-Note ("Get-SCOMParentManagementServer failed for {0}: {1}" -f $who, $_.Exception.Message) }
  }
  try {
    if (-not $primary) { $primary = Get-ComputerName ($healthService.GetPrimaryManagementServer()) }
    $failover = @($healthService.GetFailoverManagementServers() | ForEach-Object { Get-ComputerName $_ })
  } catch {
    Add-Note ("cannot read the failover servers of {0}: {1}" -f $who, $_.Exception.Message)
  }
  return [pscustomobject] @{ primary = $primary; failover = @($failover | Where-Object { $_ }) }
}

# server[\instance][,port] as SCOM stores it.
function Split-SqlSetting([string] $setting) {
  $server = $setting
  $port = $null
  $instance = $null
  if ($server -match '^(.*),\s*(\d+)$') { $server = $Matches[1]; $port = [int] $Matches[2] }
  if ($server -match '^([^\\]+)\\(.+)$') { $server = $Matches[1]; $instance = $Matches[2] }
  if ($server -match '^tcp:(.*)$') { $server = $Matches[1] }
  return [pscustomobject] @{ server = $server.Trim(); instance = $instance; port = $port }
}

function New-Database([string] $role, [string] $setting, [string] $database) {
  $s = Split-SqlSetting $setting
  $a = Get-Addresses $s.server $null
  return [ordered] @{
    role = $role; server = $s.server; instance = $s.instance; port = $s.port; database = $database
    setting = $setting; addresses = @($a.addresses); addressSource = $a.source
  }
}

function Get-UrlHost([string] $url) {
  try { return ([System.Uri] $url).Host } catch { return $null }
}

Import-Module OperationsManager -ErrorAction Stop

$mg = Get-SCOMManagementGroup
$managementServers = New-Object System.Collections.ArrayList
$gateways = New-Object System.Collections.ArrayList
foreach ($ms in @(Get-SCOMManagementServer)) {
  if (Get-Prop $ms 'IsGateway') { continue }
  [void] $managementServers.Add((New-Computer (Get-ComputerName $ms) $ms))
}
foreach ($gw in (Invoke-Read 'Get-SCOMGatewayManagementServer' { Get-SCOMGatewayManagementServer })) {
  $name = Get-ComputerName $gw
  $entry = New-Computer $name $gw
  $parents = Get-ParentNames $gw 'gateway'
  $entry.primary = $parents.primary
  $entry.failover = @($parents.failover)
  [void] $gateways.Add($entry)
}

$agents = New-Object System.Collections.ArrayList
foreach ($agent in (Invoke-Read 'Get-SCOMAgent' { Get-SCOMAgent })) {
  $entry = New-Computer (Get-ComputerName $agent) $agent
  $parents = Get-ParentNames $agent 'agent'
  $entry.primary = $parents.primary
  $entry.failover = @($parents.failover)
  [void] $agents.Add($entry)
}

$pools = New-Object System.Collections.ArrayList
$unixAgents = New-Object System.Collections.ArrayList
$poolObjects = @(Invoke-Read 'Get-SCOMResourcePool' { Get-SCOMResourcePool })
foreach ($pool in $poolObjects) {
  $members = @((Get-Prop $pool 'Members') | ForEach-Object { Get-ComputerName $_ } | Where-Object { $_ })
  [void] $pools.Add([ordered] @{ name = [string] (Get-Prop $pool 'DisplayName'); members = $members })
}
$seenUnix = @{}
if (Get-Command Get-SCXAgent -ErrorAction SilentlyContinue) {
  foreach ($pool in $poolObjects) {
    foreach ($ux in (Invoke-Read ("Get-SCXAgent -ResourcePool {0}" -f $pool.DisplayName) { Get-SCXAgent -ResourcePool $pool })) {
      $name = Get-ComputerName $ux
      if ($seenUnix.ContainsKey($name)) { continue }
      $seenUnix[$name] = $true
      $entry = New-Computer $name $ux
      $entry.resourcePool = [string] $pool.DisplayName
      [void] $unixAgents.Add($entry)
    }
  }
} else {
  Add-Note 'Get-SCXAgent is not available: UNIX/Linux agents are not exported'
}

# Network devices: instances of System.NetworkManagement.Node; the pool that manages each is the source of
# the relationship Microsoft.SystemCenter.ManagementActionPointShouldManageEntity.
$networkDevices = New-Object System.Collections.ArrayList
$nodeClass = @(Invoke-Read 'Get-SCOMClass System.NetworkManagement.Node' { Get-SCOMClass -Name 'System.NetworkManagement.Node' })
if ($nodeClass.Count -gt 0) {
  $manages = @(Invoke-Read 'Get-SCOMRelationship' { Get-SCOMRelationship -Name 'Microsoft.SystemCenter.ManagementActionPointShouldManageEntity' })
  foreach ($device in (Invoke-Read 'Get-SCOMClassInstance (network devices)' { $nodeClass | Get-SCOMClassInstance })) {
    $address = [string] (Get-Prop $device '[System.NetworkManagement.Node].SNMPAddress')
    $name = [string] (Get-Prop $device 'DisplayName')
    $entry = [ordered] @{ name = $name; addresses = @(); addressSource = 'none'; resourcePool = $null }
    if ($address -and (Test-Usable $address)) { $entry.addresses = @($address); $entry.addressSource = 'scom' }
    if ($manages.Count -gt 0) {
      $rel = @(Invoke-Read ("Get-SCOMRelationshipInstance {0}" -f $name) { Get-SCOMRelationshipInstance -TargetInstance $device | Where-Object { $_.RelationshipId -eq $manages[0].Id } })
      if ($rel.Count -gt 0) { $entry.resourcePool = [string] $rel[0].SourceObject.DisplayName }
    }
    [void] $networkDevices.Add($entry)
  }
}

$databases = New-Object System.Collections.ArrayList
$opSetting = $OperationalDatabase
$opName = $null
if (-not $opSetting) {
  try {
    $key = Get-ItemProperty -Path $SetupKey
    $opSetting = [string] $key.DatabaseServerName
    $opName = [string] $key.DatabaseName
  } catch { Add-Note ("cannot read the operational database from {0}: {1}" -f $SetupKey, $_.Exception.Message) }
}
if ($opSetting) { [void] $databases.Add((New-Database 'operational-database' $opSetting $opName)) }
foreach ($dw in (Invoke-Read 'Get-SCOMDataWarehouseSetting' { Get-SCOMDataWarehouseSetting })) {
  $dwServer = [string] (Get-Prop $dw 'DataWarehouseServerName')
  if ($dwServer) { [void] $databases.Add((New-Database 'data-warehouse' $dwServer ([string] (Get-Prop $dw 'DataWarehouseDatabaseName')))) }
}

$reportingServers = New-Object System.Collections.ArrayList
foreach ($r in (Invoke-Read 'Get-SCOMReportingSetting' { Get-SCOMReportingSetting })) {
  $url = [string] (Get-Prop $r 'ReportingServerUrl')
  $h = Get-UrlHost $url
  if ($h) { $entry = New-Computer $h $null; $entry.url = $url; [void] $reportingServers.Add($entry) }
}
$webConsoleServers = New-Object System.Collections.ArrayList
foreach ($w in (Invoke-Read 'Get-SCOMWebAddressSetting' { Get-SCOMWebAddressSetting })) {
  $url = [string] (Get-Prop $w 'WebConsoleUrl')
  $h = Get-UrlHost $url
  if ($h) { $entry = New-Computer $h $null; $entry.url = $url; [void] $webConsoleServers.Add($entry) }
}

$acsCollectors = New-Object System.Collections.ArrayList
$acsClass = @(Invoke-Read 'Get-SCOMClass Microsoft.SystemCenter.ACS.Collector' { Get-SCOMClass -Name 'Microsoft.SystemCenter.ACS.Collector' })
if ($acsClass.Count -gt 0) {
  foreach ($c in (Invoke-Read 'Get-SCOMClassInstance (ACS collectors)' { $acsClass | Get-SCOMClassInstance })) {
    $name = [string] (Get-Prop $c 'Path')
    if (-not $name) { $name = [string] (Get-Prop $c 'DisplayName') }
    [void] $acsCollectors.Add((New-Computer $name $null))
  }
}

# The computer's own name, without a DNS query.
$exportedFrom = $env:COMPUTERNAME
if (-not $exportedFrom) { $exportedFrom = [System.Net.Dns]::GetHostName() }
$export = [ordered] @{
  format = 'scomfw-scom-export'
  version = 1
  exportedAt = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
  exportedFrom = $exportedFrom
  exporter = 'scom-inventory.ps1 1'
  managementGroup = [string] (Get-Prop $mg 'Name')
  managementServers = @($managementServers)
  gateways = @($gateways)
  agents = @($agents)
  unixAgents = @($unixAgents)
  resourcePools = @($pools)
  networkDevices = @($networkDevices)
  databases = @($databases)
  reportingServers = @($reportingServers)
  webConsoleServers = @($webConsoleServers)
  acsCollectors = @($acsCollectors)
  notes = @($script:notes)
}
$json = $export | ConvertTo-Json -Depth 6
[System.IO.File]::WriteAllText($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile), $json, (New-Object System.Text.UTF8Encoding $false))
Write-Host ("scomfw: wrote {0}: {1} management servers, {2} gateways, {3} agents, {4} UNIX/Linux agents, {5} network devices, {6} notes" -f $OutFile, $managementServers.Count, $gateways.Count, $agents.Count, $unixAgents.Count, $networkDevices.Count, $script:notes.Count)
