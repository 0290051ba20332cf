# Test double of the OperationsManager module (Windows-only) for running scom-inventory.ps1 under PowerShell 7 on
# Linux. Cmdlet and parameter names are Microsoft's; each returns objects with the properties and methods the
# documentation gives, filled from the JSON fixture named by $env:SCOMFW_OM_FIXTURE
# (test/fixtures/import/om-double.json). Read-only, like the real cmdlets used.
# Sources:
#   https://learn.microsoft.com/en-us/powershell/module/operationsmanager/  (Get-SCOM* cmdlets)
#   ManagementServer (IsGateway, PrincipalName, DisplayName):
#     https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb465408(v=msdn.10)
#   AgentManagedComputer.PrimaryManagementServerName:
#     https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb424849(v=msdn.10)
#   ComputerHealthService.GetPrimaryManagementServer / GetFailoverManagementServers:
#     https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb438459(v=msdn.10)
#   Get-SCXAgent -ResourcePool: https://learn.microsoft.com/en-us/previous-versions/system-center/powershell/system-center-2012-r2/hh545199(v=sc.20)
#   Get-SCOMResourcePool (DisplayName, Members): https://learn.microsoft.com/en-us/previous-versions/system-center/powershell/system-center-2012-sp1/hh920189(v=sc.10)
#   Settings DataWarehouseServerName, ReportingServerUrl:
#     https://learn.microsoft.com/en-us/previous-versions/system-center/developer/bb423762(v=msdn.10)

Set-StrictMode -Version 2.0
$script:fixture = Get-Content -Raw -Path $env:SCOMFW_OM_FIXTURE | ConvertFrom-Json

# A fixture may list cmdlets in "fail": they throw as a cmdlet does without rights, to test that the exporter notes it.
function Test-Fail([string] $cmdlet) {
  if ($script:fixture.PSObject.Properties['fail'] -and @($script:fixture.fail) -contains $cmdlet) { throw "Access denied ($cmdlet)" }
}

function New-HealthService($entry, [bool] $isGateway) {
  $o = [pscustomobject] @{
    Name = $entry.name
    PrincipalName = $entry.name
    DisplayName = $entry.name
    ComputerName = ($entry.name -split '\.')[0]
    IsGateway = $isGateway
  }
  $primary = $null
  $failover = @()
  if ($entry.PSObject.Properties['primary']) { $primary = $entry.primary }
  if ($entry.PSObject.Properties['failover']) { $failover = @($entry.failover) }
  $o | Add-Member -MemberType NoteProperty -Name PrimaryName -Value $primary
  $o | Add-Member -MemberType NoteProperty -Name FailoverNames -Value $failover
  $o | Add-Member -MemberType ScriptMethod -Name GetPrimaryManagementServer -Value { if ($this.PrimaryName) { Find-ManagementServer $this.PrimaryName } }
  $o | Add-Member -MemberType ScriptMethod -Name GetFailoverManagementServers -Value { @($this.FailoverNames | ForEach-Object { Find-ManagementServer $_ }) }
  return $o
}

function Find-ManagementServer([string] $name) {
  $all = @($script:fixture.managementServers) + @($script:fixture.gateways)
  $e = $all | Where-Object { $_.name -eq $name } | Select-Object -First 1
  if ($null -eq $e) { throw "no management server $name" }
  return New-HealthService $e ([bool] (@($script:fixture.gateways) -contains $e))
}

# https://learn.microsoft.com/en-us/powershell/module/operationsmanager/get-scomparentmanagementserver
function Get-SCOMParentManagementServer { [CmdletBinding(DefaultParameterSetName = 'FromAgent')]
  param([Parameter(ParameterSetName = 'FromAgent', Mandatory = $true, Position = 0, ValueFromPipeline = $true)] $Agent,
        [Parameter(ParameterSetName = 'FromGatewayManagementServer', Mandatory = $true, Position = 0)] $GatewayServer)
  process {
    Test-Fail 'Get-SCOMParentManagementServer'
    foreach ($o in @($Agent) + @($GatewayServer)) { if ($null -ne $o -and $o.PrimaryName) { Find-ManagementServer $o.PrimaryName } }
  }
}

function Get-SCOMManagementGroup { [CmdletBinding()] param([string[]] $ComputerName)
  Test-Fail 'Get-SCOMManagementGroup'
  [pscustomobject] @{ Name = $script:fixture.managementGroup }
}

function Get-SCOMManagementServer { [CmdletBinding()] param([string[]] $Name)
  Test-Fail 'Get-SCOMManagementServer'
  foreach ($e in @($script:fixture.managementServers)) { New-HealthService $e $false }
  foreach ($e in @($script:fixture.gateways)) { New-HealthService $e $true }
}

function Get-SCOMGatewayManagementServer { [CmdletBinding()] param([string[]] $Name)
  Test-Fail 'Get-SCOMGatewayManagementServer'
  foreach ($e in @($script:fixture.gateways)) { New-HealthService $e $true }
}

function Get-SCOMAgent { [CmdletBinding()] param([string[]] $DNSHostName)
  Test-Fail 'Get-SCOMAgent'
  foreach ($e in @($script:fixture.agents)) {
    $o = New-HealthService $e $false
    # AgentManagedComputer.PrimaryManagementServerName holds the primary's FQDN.
    $o | Add-Member -MemberType NoteProperty -Name PrimaryManagementServerName -Value $e.primary
    $o
  }
}

function New-Pool($p) {
  $members = @($p.members | ForEach-Object { Find-ManagementServer $_ })
  [pscustomobject] @{ DisplayName = $p.name; Name = $p.name; Id = [guid]::NewGuid(); Members = $members }
}

function Get-SCOMResourcePool { [CmdletBinding()] param([string[]] $DisplayName)
  Test-Fail 'Get-SCOMResourcePool'
  foreach ($p in @($script:fixture.resourcePools)) { New-Pool $p }
}

function Get-SCXAgent { [CmdletBinding()] param([Parameter()] $ResourcePool, [string[]] $Name)
  Test-Fail 'Get-SCXAgent'
  foreach ($u in @($script:fixture.unixAgents)) {
    if ($null -ne $ResourcePool -and $u.pool -ne $ResourcePool.DisplayName) { continue }
    [pscustomobject] @{ Name = $u.name; DisplayName = $u.name }
  }
}

function Get-SCOMClass { [CmdletBinding()] param([string[]] $Name)
  Test-Fail 'Get-SCOMClass'
  foreach ($n in $Name) { [pscustomobject] @{ Name = $n; DisplayName = $n; Id = [guid]::NewGuid() } }
}

function Get-SCOMClassInstance { [CmdletBinding()] param([Parameter(ValueFromPipeline = $true)] $Class)
  process {
    Test-Fail 'Get-SCOMClassInstance'
    if ($Class.Name -eq 'System.NetworkManagement.Node') {
      foreach ($d in @($script:fixture.networkDevices)) {
        $o = [pscustomobject] @{ DisplayName = $d.name; Path = $null; Id = [guid]::NewGuid(); PoolName = $d.pool }
        $o | Add-Member -MemberType NoteProperty -Name '[System.NetworkManagement.Node].SNMPAddress' -Value $d.snmpAddress
        $o
      }
    } elseif ($Class.Name -eq 'Microsoft.SystemCenter.ACS.Collector') {
      foreach ($c in @($script:fixture.acsCollectors)) { [pscustomobject] @{ DisplayName = 'Collector'; Path = $c; Id = [guid]::NewGuid() } }
    }
  }
}

$script:managesId = [guid]::NewGuid()
function Get-SCOMRelationship { [CmdletBinding()] param([string[]] $Name)
  Test-Fail 'Get-SCOMRelationship'
  [pscustomobject] @{ Name = $Name[0]; Id = $script:managesId }
}

function Get-SCOMRelationshipInstance { [CmdletBinding()] param($TargetInstance)
  Test-Fail 'Get-SCOMRelationshipInstance'
  if ($TargetInstance.PoolName) {
    [pscustomobject] @{ RelationshipId = $script:managesId; SourceObject = [pscustomobject] @{ DisplayName = $TargetInstance.PoolName }; TargetObject = $TargetInstance }
  }
}

function Get-SCOMDataWarehouseSetting { [CmdletBinding()] param()
  Test-Fail 'Get-SCOMDataWarehouseSetting'
  [pscustomobject] @{ DataWarehouseServerName = $script:fixture.dataWarehouse; DataWarehouseDatabaseName = 'OperationsManagerDW' }
}

function Get-SCOMReportingSetting { [CmdletBinding()] param()
  Test-Fail 'Get-SCOMReportingSetting'
  if ($script:fixture.reportingServerUrl) { [pscustomobject] @{ ReportingServerUrl = $script:fixture.reportingServerUrl } }
}

function Get-SCOMWebAddressSetting { [CmdletBinding()] param()
  Test-Fail 'Get-SCOMWebAddressSetting'
  if ($script:fixture.webConsoleUrl) { [pscustomobject] @{ WebConsoleUrl = $script:fixture.webConsoleUrl; OnlineProductKnowledgeUrl = $null } }
}

Export-ModuleMember -Function Get-SCOM*, Get-SCXAgent
