/* adapter_scorm2004: in progress */
